import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the SDK's default chain looks for credentials, besides the files below. */
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/**
 * Makes this test process look like a machine without AWS credentials: no
 * credential variables, profile files that do not exist, and no EC2 metadata
 * lookup (which would try 169.254.169.254). Returns what puts it all back.
 */
export function withoutAwsCredentials(): () => void {
  const missing = join(tmpdir(), `no-aws-${randomUUID()}`);
  const changes: Record<string, string | undefined> = {
    ...Object.fromEntries(CREDENTIAL_VARIABLES.map((name) => [name, undefined])),
    AWS_SHARED_CREDENTIALS_FILE: join(missing, 'credentials'),
    AWS_CONFIG_FILE: join(missing, 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const saved = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      // `process.env.X = undefined` would store the string "undefined".
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(changes);
  return () => apply(saved);
}
