import { ConfigurableModuleBuilder } from '@nestjs/common';
import { COGNITO_RAW_OPTIONS } from './options/constants';
import type { CognitoModuleExtras, CognitoModuleOptions } from './options/cognito-module-options';
import { withCognitoFeatures } from './cognito.providers';

export const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<CognitoModuleOptions>({
    optionsInjectionToken: COGNITO_RAW_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createCognitoOptions')
    .setExtras<CognitoModuleExtras>(
      // Every extra named, so that forRoot strips each from the
      // module options (the options' own key check relies on it).
      {
        name: undefined,
        isGlobal: true,
        exceptionFilter: true,
        refreshController: false,
        authController: false,
        authGuard: false,
      } satisfies Record<keyof CognitoModuleExtras, unknown>,
      withCognitoFeatures,
    )
    .build();

/**
 * What `CognitoModule.forRootAsync()` takes: `useFactory`,
 * `useClass` or `useExisting`, with the static options beside it.
 */
export type CognitoModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/** A class for `CognitoModule.forRootAsync({ useClass })`. */
export interface CognitoOptionsFactory {
  createCognitoOptions(): CognitoModuleOptions | Promise<CognitoModuleOptions>;
}
