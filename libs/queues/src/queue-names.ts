/** Never rename a value: jobs in flight and schedulers in Redis use it. */
export enum QueueName {
  System = 'system',
  Events = 'events',
  Notifications = 'notifications',
  Booking = 'booking',
  Payments = 'payments',
  Maintenance = 'maintenance',
  /** Its own queue: slow receivers never hold up emails or payments. */
  Webhooks = 'webhooks',
}
