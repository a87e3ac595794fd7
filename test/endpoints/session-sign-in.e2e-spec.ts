// Password sign-in in session mode on the real CognitoServerSessions (in memory) and cognito-local: the
// answer's summary comes from the session just stored (startWithSummary), with no read of the store.
import type { INestApplication } from '@nestjs/common';
import { CognitoModule } from '../../src';
import { MemorySessionStore } from '../../src/session/memory-session-store';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { type CognitoTarget, localTarget } from '../support/target';

const SECRET = 'an-e2e-session-secret-of-32-characters-or-more';

describe.each(ADAPTERS)('session-mode sign-in on the real sessions (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget;
  let app: INestApplication;
  beforeAll(async () => {
    target = await localTarget();
    const options = { ...target.options, authGuard: true, authController: true, session: { secret: SECRET } };
    app = await createApp(adapter, { imports: [CognitoModule.forRoot(options)] });
  });
  afterAll(() => app.close());

  it('answers { signedIn, session } without reading the store back; GET session answers the same', async () => {
    const { email, password } = target.user as unknown as { email: string; password: string };
    const read = jest.spyOn(MemorySessionStore.prototype, 'read');
    try {
      const signedIn = await http(app).post('/auth/sign-in').send({ username: email, password }).expect(200);
      expect(read).not.toHaveBeenCalled();
      expect(signedIn.body).toEqual({ signedIn: true, session: expect.objectContaining({ email }) });
      const cookie = String(signedIn.headers['set-cookie']).split(';')[0];
      const session = await http(app).get('/auth/session').set('Cookie', cookie).expect(200);
      expect(read).toHaveBeenCalled(); // the spy sees the store's reads
      expect(session.body).toEqual(signedIn.body.session);
    } finally {
      read.mockRestore();
    }
  });
});
