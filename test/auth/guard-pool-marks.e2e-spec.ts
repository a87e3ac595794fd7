// Which guard decides a route when pools meet, on Express and Fastify (three pools of
// the testing kit: default, "customers", "staff"). A guard leaves a route to another
// pool only when the route is marked for that pool, that pool's guard is attached to
// the route or its controller, and the guard itself is not attached more closely than
// the mark. Every other setup has each guard check its own token: contradictions fail closed.
import { Controller, Get, type INestApplication, SetMetadata, UseGuards } from '@nestjs/common';
import { CognitoAuthGuard, CognitoModule, CognitoPool, CognitoUser, Public } from '../../src';
import { COGNITO_POOL } from '../../src/options/constants';
import { type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, type AdapterName, createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';

/** Every route answers the username of `request.user`, or null. */
@CognitoPool('customers')
@Controller('customers')
class CustomersController {
  @Get('own')
  own(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }

  // Contradictory: a staff guard on a customers controller. Both check: no token passes.
  @UseGuards(CognitoAuthGuard.for('staff'))
  @Get('staff-guard')
  staffGuard(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }

  @UseGuards(CognitoAuthGuard)
  @Get('default-guard')
  defaultGuard(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }

  // The handler's mark wins over the controller's: the staff guard decides alone.
  @CognitoPool('staff')
  @Get('staff-mark')
  staffMark(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }
}

/** The default guard on the controller, a staff mark on one handler. */
@UseGuards(CognitoAuthGuard)
@Controller('default-class')
class DefaultClassController {
  @Get('own')
  own(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }

  @CognitoPool('staff')
  @Get('staff-mark')
  staffMark(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }
}

/** The default guard and a staff mark on the same controller: both check. */
@UseGuards(CognitoAuthGuard)
@CognitoPool('staff')
@Controller('default-and-staff-class')
class DefaultAndStaffClassController {
  @Get()
  get(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }
}

/** A pool's mark without that pool's guard: nobody defers. */
@Controller('marks-only')
class MarksOnlyController {
  @SetMetadata(COGNITO_POOL, 'nobody')
  @Get('unknown-pool')
  unknownPool(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }

  @SetMetadata(COGNITO_POOL, 'staff')
  @Get('staff-without-guard')
  staffWithoutGuard(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }
}

@SetMetadata(COGNITO_POOL, 'nobody')
@Controller('class-mark-only')
class ClassMarkOnlyController {
  @Get()
  get(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }
}

/** `@Public()` on a base class is inherited (reflect-metadata), as Nest's own class metadata is. */
@Public()
class PublicBase {}

@Controller('inherits-public')
class InheritsPublicController extends PublicBase {
  @Get('open')
  open(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }
}

@UseGuards(CognitoAuthGuard)
@Controller('inherits-public-guarded')
class GuardedSubclassController extends PublicBase {
  @Get()
  get(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }
}

const CONTROLLERS = [
  CustomersController,
  DefaultClassController,
  DefaultAndStaffClassController,
  MarksOnlyController,
  ClassMarkOnlyController,
  InheritsPublicController,
  GuardedSubclassController,
];

type Caller = 'none' | 'default' | 'customers' | 'staff';

describe('which pool guards a route (testing kit, three pools)', () => {
  const kits = {} as Record<Exclude<Caller, 'none'>, CognitoTestKit>;
  const tokens = {} as Record<Exclude<Caller, 'none'>, string>;
  beforeAll(async () => {
    for (const pool of ['default', 'customers', 'staff'] as const) {
      kits[pool] = await createCognitoTestKit({ userPoolId: `local_${pool}` });
      tokens[pool] = kits[pool].accessToken({ username: `${pool}-user` });
      rememberSecrets(tokens[pool]);
    }
  });
  afterAll(() => Promise.all(Object.values(kits).map((kit) => kit.close())));

  const appOf = (adapter: AdapterName, authGuard: boolean) =>
    createApp(adapter, {
      imports: [
        CognitoModule.forRoot({ ...kits.default.moduleOptions, authGuard }),
        CognitoModule.forRoot({ ...kits.customers.moduleOptions, name: 'customers' }),
        CognitoModule.forRoot({ ...kits.staff.moduleOptions, name: 'staff' }),
      ],
      controllers: CONTROLLERS,
    });
  const get = (app: INestApplication, path: string, caller: Caller) => {
    const req = http(app).get(path);
    return caller === 'none' ? req : req.set('Authorization', `Bearer ${tokens[caller]}`);
  };
  /** The callers a route lets through (200 with their username); everyone else gets 401. */
  const expectOnly = async (app: INestApplication, path: string, allowed: Caller[]) => {
    const answers: Record<string, number> = {};
    for (const caller of ['none', 'default', 'customers', 'staff'] as const) {
      const res = await get(app, path, caller);
      answers[caller] = res.status;
      if (res.status === 200) expect(res.body).toEqual({ username: caller === 'none' ? null : `${caller}-user` });
      else expect(res.body.code).toBe(caller === 'none' ? 'TokenMissing' : 'TokenInvalid');
    }
    const expected = Object.fromEntries(
      (['none', 'default', 'customers', 'staff'] as const).map((c) => [c, allowed.includes(c) ? 200 : 401]),
    );
    expect(answers).toEqual(expected);
  };

  describe.each(ADAPTERS)('on %s', (adapter) => {
    describe.each([
      ['without an app-wide guard', false],
      ["with the default pool's guard app-wide", true],
    ])('%s', (_case, authGuard) => {
      let app: INestApplication;
      beforeAll(async () => {
        app = await appOf(adapter, authGuard);
      });
      afterAll(() => app.close());

      it("leaves a @CognitoPool('customers') controller to the customers guard", async () => {
        await expectOnly(app, '/customers/own', ['customers']);
      });

      it(
        "lets a handler's @UseGuards of another pool inside a @CognitoPool controller check too: nobody passes " +
          'both',
        async () => {
          await expectOnly(app, '/customers/staff-guard', []);
          await expectOnly(app, '/customers/default-guard', []);
        },
      );

      it("leaves a handler marked @CognitoPool('staff') inside a customers controller to the staff guard", async () => {
        await expectOnly(app, '/customers/staff-mark', ['staff']);
      });

      it(
        "leaves a handler's @CognitoPool('staff') to the staff guard under a controller's " +
          '@UseGuards(CognitoAuthGuard)',
        async () => {
          await expectOnly(app, '/default-class/own', ['default']);
          await expectOnly(app, '/default-class/staff-mark', ['staff']);
        },
      );

      it("has both check where the default guard and @CognitoPool('staff') sit on one controller", async () => {
        await expectOnly(app, '/default-and-staff-class', []);
      });
    });

    describe("with the default pool's guard app-wide", () => {
      let app: INestApplication;
      beforeAll(async () => {
        app = await appOf(adapter, true);
      });
      afterAll(() => app.close());

      it(
        'checks a route whose pool mark has no guard of ' + 'that pool attached (the mark alone opens nothing)',
        async () => {
          await expectOnly(app, '/marks-only/unknown-pool', ['default']);
          await expectOnly(app, '/marks-only/staff-without-guard', ['default']);
          await expectOnly(app, '/class-mark-only', ['default']);
        },
      );

      it(
        'opens a controller that extends a @Public() class (inherited metadata), unless it asks for protection ' +
          'itself',
        async () => {
          await get(app, '/inherits-public/open', 'none').expect(200, { username: null });
          await get(app, '/inherits-public/open', 'default').expect(200, { username: 'default-user' });
          await expectOnly(app, '/inherits-public-guarded', ['default']);
        },
      );
    });
  });
});
