import { Module } from '@nestjs/common';
import { SessionIssuer } from './accounts/session-issuer';
import { BootstrapAdminUseCase } from './use-cases/bootstrap-admin.use-case';
import { CreateDoctorUseCase } from './use-cases/create-doctor.use-case';
import { ForgotPasswordUseCase } from './use-cases/forgot-password.use-case';
import { GetProfileUseCase } from './use-cases/get-profile.use-case';
import { ListUsersUseCase } from './use-cases/list-users.use-case';
import { LoginUseCase } from './use-cases/login.use-case';
import { LogoutUseCase } from './use-cases/logout.use-case';
import { RefreshSessionUseCase } from './use-cases/refresh-session.use-case';
import { RegisterUseCase } from './use-cases/register.use-case';
import { ResetPasswordUseCase } from './use-cases/reset-password.use-case';
import { UpdateProfileUseCase } from './use-cases/update-profile.use-case';
import { UpdateUserUseCase } from './use-cases/update-user.use-case';
import { VerifyEmailUseCase } from './use-cases/verify-email.use-case';

const USE_CASES = [
  BootstrapAdminUseCase,
  CreateDoctorUseCase,
  ForgotPasswordUseCase,
  GetProfileUseCase,
  ListUsersUseCase,
  LoginUseCase,
  LogoutUseCase,
  RefreshSessionUseCase,
  RegisterUseCase,
  ResetPasswordUseCase,
  UpdateProfileUseCase,
  UpdateUserUseCase,
  VerifyEmailUseCase,
];

/** Account use cases: registration, sessions, email flows, profiles, administration. */
@Module({
  providers: [SessionIssuer, ...USE_CASES],
  exports: USE_CASES,
})
export class AccountsModule {}
