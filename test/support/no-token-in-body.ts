import type { Response } from 'supertest';

/** A JWT as Cognito issues them (a base64url JSON header, `eyJ`, then two more parts). */
export const JWT_SHAPE = /eyJ[\w-]*\.[\w-]+\.[\w-]*/;

/**
 * Every answer body a test received, for the check that none carries a token: no JWT shape, and none
 * of the given secrets (refresh tokens are not JWTs on every issuer).
 */
export class AnswerBodies {
  private readonly bodies: Array<{ route: string; text: string }> = [];

  /** Records `res`'s body and hands `res` back. */
  record(res: Response): Response {
    this.bodies.push({ route: `${res.status} ${String(res.request?.url ?? '')}`, text: res.text ?? '' });
    return res;
  }

  /** How many bodies were recorded (a check over none would prove nothing). */
  get count(): number {
    return this.bodies.length;
  }

  /** The answers whose body holds a JWT or one of `secrets`, as `status url`. */
  withTokens(secrets: readonly string[] = []): string[] {
    return this.bodies
      .filter(({ text }) => JWT_SHAPE.test(text) || secrets.some((secret) => secret !== '' && text.includes(secret)))
      .map(({ route }) => route);
  }
}
