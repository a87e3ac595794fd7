// The startup check of @CognitoGroups, on Express and Fastify (testing kit): a route
// that asks for groups with no CognitoAuthGuard to check them would be open to
// anyone, so the app refuses to start, naming the route.
import {
  Controller,
  Get,
  type INestApplication,
  Injectable,
  type Provider,
  Scope,
  type Type,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import {
  CognitoAuthGuard,
  CognitoConfigurationError,
  CognitoGroups,
  CognitoModule,
  CognitoPool,
  CognitoTokenVerifier,
  Public,
} from '../../src';
import { type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, type AdapterName, createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';

@Controller('reports')
class UnguardedGroupsController {
  @Get('open')
  open() {
    return { open: true };
  }

  @CognitoGroups('Admins')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

@CognitoGroups('Admins')
@Controller('class-groups')
class UnguardedClassGroupsController {
  @Get()
  list() {
    return [];
  }
}

/** @Public() opens nothing that asks for groups: still no guard to check them. */
@Public()
@Controller('public-groups')
class PublicGroupsController {
  @CognitoGroups('Admins')
  @Get()
  get() {
    return { admin: true };
  }
}

@UseGuards(CognitoAuthGuard)
@Controller('guarded-class')
class GuardedClassController {
  @CognitoGroups('Admins')
  @Get()
  get() {
    return { admin: true };
  }
}

@Controller('guarded-handler')
class GuardedHandlerController {
  @UseGuards(CognitoAuthGuard)
  @CognitoGroups('Admins')
  @Get()
  get() {
    return { admin: true };
  }
}

@CognitoPool('staff')
@CognitoGroups('Admins')
@Controller('staff-groups')
class StaffGroupsController {
  @Get()
  get() {
    return { admin: true };
  }
}

@Injectable()
class AppAuthGuard extends CognitoAuthGuard {}

@UseGuards(AppAuthGuard)
@Controller('subclass-guarded')
class SubclassGuardedController {
  @CognitoGroups('Admins')
  @Get()
  get() {
    return { admin: true };
  }
}

/** Groups on the controller, the guard on its one route: a plain method is no route, and needs no guard. */
@CognitoGroups('Admins')
@Controller('helper')
class HelperMethodController {
  @UseGuards(CognitoAuthGuard)
  @Get()
  get() {
    return this.answer();
  }

  answer() {
    return { admin: true };
  }
}

const message = (route: string) =>
  `CognitoModule: @CognitoGroups on ${route} has no CognitoAuthGuard: set authGuard: true or add ` +
  `@UseGuards(CognitoAuthGuard)`;

describe('@CognitoGroups without a CognitoAuthGuard (testing kit)', () => {
  let kit: CognitoTestKit;
  let staff: CognitoTestKit;
  beforeAll(async () => {
    [kit, staff] = await Promise.all([createCognitoTestKit(), createCognitoTestKit({ userPoolId: 'local_Staff' })]);
  });
  afterAll(() => Promise.all([kit.close(), staff.close()]));

  describe.each(ADAPTERS)('on %s', (adapter: AdapterName) => {
    const boot = (
      controllers: Type[],
      authGuard = false,
      configure?: (app: INestApplication) => void,
      providers: Provider[] = [],
    ) =>
      createApp(
        adapter,
        {
          imports: [
            CognitoModule.forRoot({ ...kit.moduleOptions, authGuard }),
            CognitoModule.forRoot({ ...staff.moduleOptions, name: 'staff' }),
          ],
          controllers,
          providers,
        },
        configure,
      );

    it.each([
      ['on a handler', UnguardedGroupsController, 'UnguardedGroupsController.admin'],
      ['on a controller', UnguardedClassGroupsController, 'UnguardedClassGroupsController.list'],
      ['on a handler of a @Public() controller', PublicGroupsController, 'PublicGroupsController.get'],
    ])('fails the startup, naming the route, for @CognitoGroups %s', async (_case, controller, route) => {
      const booting = boot([controller]);
      await expect(booting).rejects.toThrow(CognitoConfigurationError);
      await expect(booting).rejects.toThrow(message(route));
    });

    it.each([
      [
        'authGuard: true',
        [UnguardedGroupsController, UnguardedClassGroupsController, PublicGroupsController],
        true,
        '/reports/admin',
        'default',
      ],
      ['@UseGuards(CognitoAuthGuard) on the controller', [GuardedClassController], false, '/guarded-class', 'default'],
      ['@UseGuards(CognitoAuthGuard) on the handler', [GuardedHandlerController], false, '/guarded-handler', 'default'],
      ["@CognitoPool('staff') (it attaches the staff guard)", [StaffGroupsController], false, '/staff-groups', 'staff'],
      ['@UseGuards of a CognitoAuthGuard subclass', [SubclassGuardedController], false, '/subclass-guarded', 'default'],
      [
        'groups on the controller and the guard on its only route (a plain method needs none)',
        [HelperMethodController],
        false,
        '/helper',
        'default',
      ],
    ] as const)('starts with %s, and the groups are checked', async (_case, controllers, authGuard, path, pool) => {
      const app = await boot([...controllers], authGuard);
      try {
        const issuer = pool === 'staff' ? staff : kit;
        const admin = issuer.accessToken({ groups: ['Admins'] });
        const user = issuer.accessToken();
        rememberSecrets(admin, user);
        expect((await http(app).get(path).expect(401)).body.code).toBe('TokenMissing');
        expect((await http(app).get(path).set('Authorization', `Bearer ${user}`).expect(403)).body.code).toBe(
          'GroupRequired',
        );
        await http(app).get(path).set('Authorization', `Bearer ${admin}`).expect(200, { admin: true });
      } finally {
        await app.close();
      }
    });

    it('starts with a request-scoped APP_GUARD of CognitoAuthGuard', async () => {
      const app = await boot([UnguardedGroupsController], false, undefined, [
        { provide: APP_GUARD, useClass: CognitoAuthGuard, scope: Scope.REQUEST },
      ]);
      try {
        expect((await http(app).get('/reports/admin').expect(401)).body.code).toBe('TokenMissing');
      } finally {
        await app.close();
      }
    });

    it('starts with a CognitoAuthGuard instance given to app.useGlobalGuards before init', async () => {
      const app = await boot([UnguardedGroupsController], false, (created) => {
        created.useGlobalGuards(new CognitoAuthGuard(created.get(Reflector), created.get(CognitoTokenVerifier)));
      });
      try {
        expect((await http(app).get('/reports/admin').expect(401)).body.code).toBe('TokenMissing');
        await http(app).get('/reports/open').expect(401);
      } finally {
        await app.close();
      }
    });
  });
});
