import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'app:is-public';
/** Opts a route out of the default-closed authentication guard. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
