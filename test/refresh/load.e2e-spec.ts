// 20,000 mixed valid and invalid refreshes at 64 connections against a wire-level
// stand-in (not cognito-local), half on each adapter: every one gets the right
// status, none a 5xx. A correctness test under load, not a benchmark (see test/bench).
import { Agent, request } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { CognitoModule, CognitoSyncService } from '../../src';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { answerWithTokens, CognitoStandIn, replyError, standInOptions } from '../support/cognito-stand-in';
import { listen } from '../support/listening';

/** Per adapter: 20,000 in all, which keeps the suite's time modest on a shared 2-core machine. */
const REQUESTS = 10_000;
const CONNECTIONS = 64;

/** Request `i` of the run and the status it must get. */
function requestNumber(i: number): { body: string; status: number } {
  switch (i % 4) {
    case 0:
    case 1:
      return { body: JSON.stringify({ refreshToken: `load.valid.${i % 700}` }), status: 200 };
    case 2:
      return { body: JSON.stringify({ refreshToken: `load.revoked.${i % 300}` }), status: 401 };
    default:
      return i % 8 === 3
        ? { body: JSON.stringify({ refreshToken: 42 }), status: 400 }
        : { body: '{"refreshToken": ', status: 400 };
  }
}

function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(ADAPTERS)(
  '10,000 of 20,000 mixed refreshes at 64 connections (wire-level stand-in, not cognito-local), on %s',
  (adapter) => {
    let standIn: CognitoStandIn;
    let app: INestApplication;
    let url: URL;
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    beforeAll(async () => {
      standIn = await new CognitoStandIn((req, res) =>
        String(req.body.AuthParameters?.REFRESH_TOKEN).startsWith('load.revoked')
          ? replyError(res, 'NotAuthorizedException', 'Refresh Token has been revoked')
          : answerWithTokens(req, res),
      ).start();
      app = await createApp(adapter, {
        imports: [
          CognitoModule.forRoot({
            ...standInOptions(standIn),
            // Statuses under load are tested here, not the deadline: a busy shared machine once took the default 5 s
            // (504).
            timeoutMs: 60_000,
            refreshController: true,
          }),
        ],
        // Quiet: 5,000 expected NotAuthorized warnings are not worth printing.
      });
      app.useLogger(['error', 'fatal']);
      url = new URL(`${await listen(app)}/auth/refresh`);
    });
    afterAll(async () => {
      agent.destroy();
      await app.close();
      await standIn.stop();
    });

    it('answers every request with the status it must get, and never a 5xx', async () => {
      const wrong: Array<{ i: number; expected: number; got: number }> = [];
      const counts: Record<number, number> = {};
      let next = 0;
      const worker = async () => {
        while (next < REQUESTS) {
          const i = next++;
          const { body, status } = requestNumber(i);
          const got = await post(agent, url, body);
          counts[got] = (counts[got] ?? 0) + 1;
          if (got !== status) wrong.push({ i, expected: status, got });
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, worker));
      expect(wrong.slice(0, 10)).toEqual([]);
      expect(counts).toEqual({ 200: REQUESTS / 2, 401: REQUESTS / 4, 400: REQUESTS / 4 });
      expect(app.get(CognitoSyncService).inFlightRefreshes).toBe(0);
      // Identical concurrent refreshes were merged: fewer upstream calls than valid and revoked requests.
      expect(standIn.requests.length).toBeLessThanOrEqual((REQUESTS * 3) / 4);
    }, 180_000); // about 25 s alone; generous for a loaded 2-core machine
  },
);
