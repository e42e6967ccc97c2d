import { Module } from '@nestjs/common';
import { SessionIssuer } from './accounts/session-issuer';
import { BootstrapAdmin } from './use-cases/bootstrap-admin.use-case';
import { CreateDoctor } from './use-cases/create-doctor.use-case';
import { ForgotPassword } from './use-cases/forgot-password.use-case';
import { GetProfile } from './use-cases/get-profile.use-case';
import { ListUsers } from './use-cases/list-users.use-case';
import { Login } from './use-cases/login.use-case';
import { Logout } from './use-cases/logout.use-case';
import { RefreshSession } from './use-cases/refresh-session.use-case';
import { Register } from './use-cases/register.use-case';
import { ResetPassword } from './use-cases/reset-password.use-case';
import { UpdateProfile } from './use-cases/update-profile.use-case';
import { UpdateUser } from './use-cases/update-user.use-case';
import { VerifyEmail } from './use-cases/verify-email.use-case';

const USE_CASES = [
  BootstrapAdmin,
  CreateDoctor,
  ForgotPassword,
  GetProfile,
  ListUsers,
  Login,
  Logout,
  RefreshSession,
  Register,
  ResetPassword,
  UpdateProfile,
  UpdateUser,
  VerifyEmail,
];

/** Account use cases: registration, sessions, email flows, profiles, administration. */
@Module({
  providers: [SessionIssuer, ...USE_CASES],
  exports: USE_CASES,
})
export class AccountsModule {}
