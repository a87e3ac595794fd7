// The attribute allow-list's vocabulary: what the option may name (checked at boot) and how
// custom names are written. Read by the options' validation and by the user methods.

/**
 * The standard attributes an admin may write (OpenID Connect's, as Cognito has
 * them): the default allow-list. `sub` is left out because Cognito sets it.
 */
export const STANDARD_ATTRIBUTES: readonly string[] = Object.freeze([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);

export const CUSTOM_PREFIX = 'custom:';

/** A custom attribute's name without its `custom:` prefix (which callers may or may not write). */
export function withoutCustomPrefix(name: string): string {
  return name.startsWith(CUSTOM_PREFIX) ? name.slice(CUSTOM_PREFIX.length) : name;
}
