/** Redis pub/sub channel of new in-app notifications, fanned out by every api instance. */
export function liveChannel(queuePrefix: string): string {
  return `${queuePrefix}:notifications:live`;
}

export interface LiveNotificationMessage {
  userId: string;
  notification: {
    id: string;
    type: string;
    title: string;
    body: string;
    data: Record<string, unknown>;
    readAt: null;
    createdAt: string;
  };
}
