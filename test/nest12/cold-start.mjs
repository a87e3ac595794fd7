// The cold-start check's ESM app on NestJS 12 (this folder's): named imports of the packed
// package by its name. Run with `--import ../cold-start/esm-loads.mjs` (its loader hooks). See ../cold-start/scenario.cjs.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';
import * as express from '@nestjs/platform-express';
import * as fastify from '@nestjs/platform-fastify';
import { CognitoModule, CognitoSyncService, CognitoUser } from 'nestjs-cognito-sync';

const { runColdStart } = createRequire(import.meta.url)('../cold-start/scenario.cjs');
await runColdStart('NestJS 12, ESM', {
  nest: { common, core, express, fastify },
  lib: { CognitoModule, CognitoSyncService, CognitoUser },
  urls: { lib: import.meta.resolve('nestjs-cognito-sync'), nest: import.meta.resolve('@nestjs/core') },
});
