import { type Provider, UseGuards } from '@nestjs/common';
import { ApplicationConfig, DiscoveryModule, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Test } from '@nestjs/testing';
import * as graphql from '@nestjs/graphql';
import { Mutation, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { CognitoAuthGuard } from '../cognito-auth.guard';
import { CognitoGroups, CognitoPool, CognitoScopes, Public } from '../cognito-auth.decorators';
import { CognitoGroupsCheck } from '../cognito-groups-check';
import { CognitoTokenVerifier, getCognitoVerifierToken } from '../cognito-token-verifier';
import { CognitoConfigurationError } from '../../errors/cognito.errors';
import {
  GRAPHQL_MODULE_OPTIONS,
  RESOLVER_PROPERTY_METADATA,
  RESOLVER_REFERENCE_METADATA,
  RESOLVER_TYPE_METADATA,
} from './resolvers-check';

class Profile {}

@Resolver(() => Profile)
class PlainFieldResolver {
  @Public()
  @Query(() => Profile)
  profile() {
    return {};
  }

  @ResolveField(() => String)
  salary() {
    return 'classified';
  }
}

@Resolver(() => Profile)
class PublicFieldResolver {
  @Public()
  @ResolveField(() => String)
  nickname() {
    return 'nick';
  }
}

@Public()
@Resolver(() => Profile)
class PublicClassResolver {
  @ResolveField(() => String)
  nickname() {
    return 'nick';
  }
}

/** Protection on the method wins over the class's @Public(): the groups need the guard to run. */
@Public()
@Resolver(() => Profile)
class PublicClassGroupsFieldResolver {
  @CognitoGroups('Admins')
  @ResolveField(() => String)
  salary() {
    return 'classified';
  }
}

/** The class's guard wins over its own @Public(), as in the guard. */
@Public()
@UseGuards(CognitoAuthGuard)
@Resolver(() => Profile)
class PublicGuardedClassResolver {
  @ResolveField(() => String)
  salary() {
    return 'classified';
  }
}

@UseGuards(CognitoAuthGuard.for('staff'))
@Resolver(() => Profile)
class NamedPoolGuardResolver {
  @ResolveField(() => String)
  salary() {
    return 'classified';
  }
}

@CognitoPool('staff')
@Resolver(() => Profile)
class NamedPoolMarkResolver {
  @ResolveField(() => String)
  salary() {
    return 'classified';
  }
}

@CognitoScopes('profile/read')
@Resolver(() => Profile)
class ScopesClassResolver {
  @ResolveField(() => String)
  salary() {
    return 'classified';
  }
}

/** A federation entity's reference resolver: @nestjs/graphql applies fieldResolverEnhancers to it too. */
@Resolver(() => Profile)
class ReferenceResolver {
  @ResolveReference()
  resolveReference() {
    return {};
  }
}

/** Root resolvers: app-wide guards run on them without 'guards'. */
@Resolver()
class RootResolver {
  @Query(() => String)
  report() {
    return 'report';
  }

  @Mutation(() => String)
  promote() {
    return 'promoted';
  }
}

interface Setup {
  appWide: boolean;
  /** `GraphQLModule`'s `fieldResolverEnhancers`; `undefined`: no GraphQL options at all. */
  enhancers?: string[];
}

/** Runs the startup check over `resolvers`. */
async function check(resolvers: Provider[], { appWide, enhancers }: Setup): Promise<void> {
  // The guards in @UseGuards are instantiated with the app: their verifiers, never called here.
  const providers: Provider[] = [CognitoTokenVerifier, getCognitoVerifierToken('staff')].map((provide) => ({
    provide,
    useValue: {},
  }));
  if (enhancers !== undefined)
    providers.push({ provide: GRAPHQL_MODULE_OPTIONS, useValue: { fieldResolverEnhancers: enhancers } });
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [CognitoGroupsCheck, ...providers, ...resolvers],
  }).compile();
  if (appWide)
    moduleRef.get(ApplicationConfig).addGlobalGuard(Object.create(CognitoAuthGuard.prototype) as CognitoAuthGuard);
  moduleRef.get(CognitoGroupsCheck).onModuleInit();
}

const open = (where: string, kind = 'a field resolver') =>
  `CognitoAuthGuard does not reach ${where} (${kind}): @nestjs/graphql runs no guard on it, app-wide ones ` +
  'included, so it is open to anyone. ' +
  `Set fieldResolverEnhancers: ['guards'] in GraphQLModule's options, or add @Public() to ${where} to leave it open`;

describe('the resolvers startup check', () => {
  it("spells @nestjs/graphql's metadata keys and options token as the package does", () => {
    expect(RESOLVER_TYPE_METADATA).toBe(graphql.RESOLVER_TYPE_METADATA);
    expect(RESOLVER_PROPERTY_METADATA).toBe(graphql.RESOLVER_PROPERTY_METADATA);
    expect(RESOLVER_REFERENCE_METADATA).toBe(graphql.RESOLVER_REFERENCE_METADATA);
    expect(GRAPHQL_MODULE_OPTIONS).toBe(graphql.GRAPHQL_MODULE_OPTIONS);
  });

  it.each([
    ['no fieldResolverEnhancers', []],
    ["only 'filters'", ['filters']],
    ['no GraphQL options at all', undefined],
  ])(
    'refuses a plain field resolver under an app-wide guard with %s, naming it and both fixes',
    async (_case, enhancers) => {
      await expect(check([PlainFieldResolver], { appWide: true, enhancers })).rejects.toThrow(
        open('PlainFieldResolver.salary'),
      );
    },
  );

  it.each([
    ['useValue', { provide: 'SALARY_RESOLVER', useValue: new PlainFieldResolver() }],
    ['useFactory', { provide: 'SALARY_RESOLVER', useFactory: () => new PlainFieldResolver() }],
  ])(
    'refuses a plain field resolver provided with %s (no class as metatype), as @nestjs/graphql registers ' +
      'it from its instance',
    async (_case, provider) => {
      await expect(check([provider], { appWide: true, enhancers: [] })).rejects.toThrow(
        open('PlainFieldResolver.salary'),
      );
    },
  );

  it("starts with fieldResolverEnhancers: ['guards']", async () => {
    const all = [
      PlainFieldResolver,
      PublicGuardedClassResolver,
      NamedPoolGuardResolver,
      NamedPoolMarkResolver,
      ScopesClassResolver,
      ReferenceResolver,
    ];
    await expect(check(all, { appWide: true, enhancers: ['guards', 'filters'] })).resolves.toBeUndefined();
  });

  it(
    'starts with a field resolver @Public() on the method or on its class, and with root resolvers, without ' +
      'guards on fields',
    async () => {
      await expect(
        check([PublicFieldResolver, PublicClassResolver, RootResolver], { appWide: true, enhancers: [] }),
      ).resolves.toBeUndefined();
    },
  );

  it('leaves a plain field resolver to an app that asks for no guard, as it does routes', async () => {
    await expect(check([PlainFieldResolver], { appWide: false, enhancers: [] })).resolves.toBeUndefined();
  });

  it(
    'refuses a plain field resolver in a resolver class that has a CognitoAuthGuard, @Public() on the class ' +
      'notwithstanding',
    async () => {
      await expect(check([PublicGuardedClassResolver], { appWide: false, enhancers: [] })).rejects.toThrow(
        open('PublicGuardedClassResolver.salary'),
      );
    },
  );

  it(
    "refuses a plain field resolver in a class guarded by a named pool's CognitoAuthGuard.for(name), with or " +
      'without an app-wide guard',
    async () => {
      for (const appWide of [false, true]) {
        await expect(check([NamedPoolGuardResolver], { appWide, enhancers: [] })).rejects.toThrow(
          open('NamedPoolGuardResolver.salary'),
        );
      }
    },
  );

  it.each([
    [
      '@CognitoGroups on the method under a @Public() class',
      PublicClassGroupsFieldResolver,
      '@CognitoGroups on PublicClassGroupsFieldResolver.salary',
    ],
    ["@CognitoPool('staff') on the class", NamedPoolMarkResolver, '@CognitoPool on NamedPoolMarkResolver.salary'],
    ['@CognitoScopes on the class', ScopesClassResolver, '@CognitoScopes on ScopesClassResolver.salary'],
  ])('refuses a field resolver with %s, under an app-wide guard or not', async (_case, resolver, where) => {
    for (const appWide of [false, true]) {
      await expect(check([resolver], { appWide, enhancers: [] })).rejects.toThrow(
        `${where} (a field resolver) is not checked: set fieldResolverEnhancers: ['guards'] in GraphQLModule's options`,
      );
    }
  });

  it('refuses a federation reference resolver under an app-wide guard as it does a field resolver', async () => {
    await expect(check([ReferenceResolver], { appWide: true, enhancers: [] })).rejects.toThrow(
      open('ReferenceResolver.resolveReference', 'a reference resolver'),
    );
  });

  // The check decides "public" by the guard's rule (auth/route-rules.ts): both must agree, or a field the
  // guard would refuse could start unchecked.
  it.each([
    ['PlainFieldResolver.salary', PlainFieldResolver, 'salary', false],
    ['PublicFieldResolver.nickname', PublicFieldResolver, 'nickname', true],
    ['PublicClassResolver.nickname', PublicClassResolver, 'nickname', true],
    ['PublicClassGroupsFieldResolver.salary', PublicClassGroupsFieldResolver, 'salary', false],
    ['PublicGuardedClassResolver.salary', PublicGuardedClassResolver, 'salary', false],
  ] as const)(
    'lets %s start unchecked exactly when the guard would let an anonymous caller through',
    async (_name, resolver, method, isPublic) => {
      const verifier = { cookieName: undefined, cachedClaims: () => undefined } as unknown as CognitoTokenVerifier;
      const guard = new CognitoAuthGuard(new Reflector(), verifier);
      const handler = (resolver.prototype as unknown as Record<string, () => unknown>)[method];
      const anonymous = Promise.resolve().then(() =>
        guard.canActivate(new ExecutionContextHost([{ headers: {} }, {}], resolver, handler)),
      );
      const booting = check([resolver], { appWide: true, enhancers: [] });
      if (isPublic) {
        await expect(anonymous).resolves.toBe(true);
        await expect(booting).resolves.toBeUndefined();
      } else {
        await expect(anonymous).rejects.toMatchObject({ code: 'TokenMissing' });
        await expect(booting).rejects.toThrow(CognitoConfigurationError);
      }
    },
  );
});
