// Several user pools in one app: a default registration and a named one, each
// with its own client, service, refresh endpoint and guard (cognito-local).
import { Controller, Get, type INestApplication, Param, UseGuards } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import {
  CognitoAuthGuard,
  CognitoExceptionFilter,
  CognitoModule,
  CognitoPool,
  CognitoSyncService,
  CognitoUser,
  getCognitoClientToken,
  getCognitoServiceToken,
  InjectCognito,
} from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { type CognitoTarget, localTarget } from '../support/target';

@Controller('pools')
class PoolsController {
  constructor(
    private readonly customers: CognitoSyncService,
    @InjectCognito('staff') private readonly staff: CognitoSyncService,
  ) {}

  @Get('customers/:username')
  findCustomer(@Param('username') username: string) {
    return this.customers.findUser(username);
  }

  @Get('staff/:username')
  findStaff(@Param('username') username: string) {
    return this.staff.findUser(username);
  }

  @UseGuards(CognitoAuthGuard)
  @Get('customers-only')
  customersOnly(@CognitoUser('username') username: string) {
    return { username };
  }

  @UseGuards(CognitoAuthGuard.for('staff'))
  @Get('staff-only')
  staffOnly(@CognitoUser('username') username: string) {
    return { username };
  }
}

/** Under the default pool's app-wide guard: one route of the default pool, one of staff's. */
@Controller('guarded')
class MixedController {
  @Get('customers')
  customers(@CognitoUser('username') username: string) {
    return { username };
  }

  @CognitoPool('staff')
  @Get('staff')
  staff(@CognitoUser('username') username: string) {
    return { username };
  }
}

describe.each(ADAPTERS)('two pools in one app (cognito-local), on %s', (adapter) => {
  let customers: CognitoTarget;
  let staff: CognitoTarget;
  let app: INestApplication;
  beforeAll(async () => {
    [customers, staff] = await Promise.all([localTarget(), localTarget()]);
    app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({ ...customers.options, refreshController: true }),
        CognitoModule.forRootAsync({ name: 'staff', useFactory: () => staff.options, refreshController: true }),
      ],
      controllers: [PoolsController],
    });
  });
  afterAll(() => app.close());

  it('has each service talk to its own pool, and exports the named one under its own tokens', async () => {
    expect(app.get(getCognitoServiceToken('staff'))).toBeInstanceOf(CognitoSyncService);
    expect(app.get(getCognitoClientToken('staff')).config.endpoint).toBeDefined();
    await http(app).get(`/pools/customers/${customers.user.username}`).expect(200);
    await http(app).get(`/pools/staff/${staff.user.username}`).expect(200);
    expect((await http(app).get(`/pools/staff/${customers.user.username}`).expect(404)).body.code).toBe(
      'UserNotFoundException',
    );
    expect((await http(app).get(`/pools/customers/${staff.user.username}`).expect(404)).body.code).toBe(
      'UserNotFoundException',
    );
  });

  it('registers one app-wide exception filter for both pools', () => {
    const filters = app
      .get(ApplicationConfig)
      .getGlobalFilters()
      .filter((filter) => filter instanceof CognitoExceptionFilter);
    expect(filters).toHaveLength(1);
  });

  it("serves each pool's refresh endpoint (auth/refresh, auth/staff/refresh) for its own tokens", async () => {
    await http(app).post('/auth/refresh').send({ refreshToken: customers.user.refreshToken }).expect(200);
    await http(app).post('/auth/staff/refresh').send({ refreshToken: staff.user.refreshToken }).expect(200);
  });

  it("lets each guard accept its own pool's tokens and refuse the other pool's", async () => {
    const bearer = (target: CognitoTarget) => `Bearer ${target.user.accessToken}`;
    expect(
      (await http(app).get('/pools/customers-only').set('authorization', bearer(customers)).expect(200)).body,
    ).toEqual({
      username: customers.user.username,
    });
    expect((await http(app).get('/pools/staff-only').set('authorization', bearer(staff)).expect(200)).body).toEqual({
      username: staff.user.username,
    });
    expect(
      (await http(app).get('/pools/staff-only').set('authorization', bearer(customers)).expect(401)).body.code,
    ).toBe('TokenInvalid');
    expect(
      (await http(app).get('/pools/customers-only').set('authorization', bearer(staff)).expect(401)).body.code,
    ).toBe('TokenInvalid');
  });

  describe("with the default pool's guard app-wide", () => {
    let guarded: INestApplication;
    beforeAll(async () => {
      guarded = await createApp(adapter, {
        imports: [
          CognitoModule.forRoot({ ...customers.options, authGuard: true }),
          CognitoModule.forRoot({ ...staff.options, name: 'staff' }),
        ],
        controllers: [MixedController],
      });
    });
    afterAll(() => guarded.close());
    const get = (path: string, target?: CognitoTarget) => {
      const req = http(guarded).get(path);
      return target ? req.set('authorization', `Bearer ${target.user.accessToken}`) : req;
    };

    it("leaves a @CognitoPool('staff') route to the staff guard: staff tokens only", async () => {
      expect((await get('/guarded/staff', staff).expect(200)).body).toEqual({ username: staff.user.username });
      expect((await get('/guarded/staff', customers).expect(401)).body.code).toBe('TokenInvalid');
      expect((await get('/guarded/staff').expect(401)).body.code).toBe('TokenMissing');
    });

    it('keeps the other routes on the default pool', async () => {
      await get('/guarded/customers', customers).expect(200);
      expect((await get('/guarded/customers', staff).expect(401)).body.code).toBe('TokenInvalid');
    });
  });
});
