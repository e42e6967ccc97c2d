import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  Auth,
  AuthRateLimit,
  type AuthUser,
  CurrentUser,
  ForgotPassword,
  Login,
  Logout,
  Public,
  RefreshSession,
  Register,
  ResetPassword,
  VerifyEmail,
} from '@app/auth';
import { ApiProblems } from '@app/common';
import { ForgotPasswordDto, ResetPasswordDto, VerifyEmailDto } from './email-flows.dto';
import { RegisterDto } from './register.dto';
import { LoginDto, RefreshTokenDto, SessionDto } from './session.dto';
import { UserDto } from './user.dto';
import { CreatedAt } from '../http/created-at.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly registerUser: Register,
    private readonly loginUser: Login,
    private readonly refreshSession: RefreshSession,
    private readonly logoutUser: Logout,
    private readonly verifyEmailToken: VerifyEmail,
    private readonly forgotPasswordRequest: ForgotPassword,
    private readonly resetPasswordWithToken: ResetPassword,
  ) {}

  @Post('register')
  @Public()
  @AuthRateLimit()
  @ApiOperation({
    summary: 'Create a patient account and email a verification link (no tokens returned)',
  })
  // The account's own view, readable once it signs in.
  @CreatedAt(UserDto, 'me')
  @ApiProblems(400, [409, 'EMAIL_TAKEN: an account with this email exists'], 429)
  register(@Body() dto: RegisterDto): Promise<UserDto> {
    return this.registerUser.execute(dto);
  }

  @Post('login')
  @Public()
  @AuthRateLimit('ip+email')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems(
    400,
    [401, 'UNAUTHENTICATED: invalid email or password, or account deactivated'],
    429,
  )
  login(@Body() dto: LoginDto): Promise<SessionDto> {
    return this.loginUser.execute(dto);
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair; reusing an old one revokes the whole session',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems(
    400,
    [401, 'UNAUTHENTICATED: refresh token invalid, expired, reused or revoked'],
    429,
  )
  refresh(@Body() dto: RefreshTokenDto): Promise<SessionDto> {
    return this.refreshSession.execute(dto.refreshToken);
  }

  @Post('logout')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out: revoke the session of this refresh token' })
  @ApiNoContentResponse({ description: 'Signed out (also when the token was already revoked)' })
  @ApiProblems(400, 429)
  logout(@CurrentUser() user: AuthUser, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.logoutUser.execute(user.id, dto.refreshToken);
  }

  @Post('verify-email')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Confirm the email address with the token from the verification link' })
  @ApiNoContentResponse({ description: 'Email verified' })
  @ApiProblems([400, 'INVALID_TOKEN (invalid, expired or used) or VALIDATION_FAILED'], 429)
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<void> {
    return this.verifyEmailToken.execute(dto.token);
  }

  @Post('forgot-password')
  @Public()
  @AuthRateLimit()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Email a password reset link; the answer is the same whether or not the account exists',
  })
  @ApiAcceptedResponse({ description: 'If the account exists, a reset link is on its way' })
  @ApiProblems(400, 429)
  forgotPassword(@Body() dto: ForgotPasswordDto): Promise<void> {
    return this.forgotPasswordRequest.execute(dto.email);
  }

  @Post('reset-password')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Set a new password with the token from a reset or invitation link; signs out everywhere',
  })
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiProblems([400, 'INVALID_TOKEN (invalid, expired or used) or VALIDATION_FAILED'], 429)
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.resetPasswordWithToken.execute(dto);
  }
}
