'use strict';
// The browser's side of the session: access and ID tokens in memory only, the
// refresh token in the HttpOnly cookie that the auth endpoints set and clear.
const $ = (id) => document.getElementById(id);
const tokens = { access: null, id: null };
const TIMES = new Set(['exp', 'iat', 'auth_time']);

function decode(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function cell(row, text, className) {
  const td = document.createElement('td');
  if (text instanceof Node) td.append(text);
  else td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function badge(status) {
  const span = document.createElement('span');
  span.className = 'badge ' + (status < 300 ? 's2' : status === 401 ? 's401' : status < 500 ? 's4' : 's5');
  span.textContent = String(status);
  return span;
}

function log(method, path, status, body) {
  const tbody = $('log');
  if (tbody.querySelector('.empty')) tbody.textContent = '';
  const row = document.createElement('tr');
  cell(row, new Date().toLocaleTimeString(), 'mono');
  cell(row, method + ' ' + path, 'mono');
  cell(row, badge(status));
  cell(row, body && body.code ? body.code + ': ' + body.message : status === 204 ? 'No content' : 'OK');
  tbody.prepend(row);
}

// Every call to the auth endpoints: JSON in and out, the CSRF header the cookie needs.
async function post(route, body) {
  const headers = { 'X-Requested-With': 'fetch' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/auth/' + route, {
    method: 'POST',
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = res.status === 204 ? null : await res.json();
  log('POST', '/auth/' + route, res.status, answer);
  return { status: res.status, answer };
}

function claimsTable(tbody, jwt) {
  tbody.textContent = '';
  if (!jwt) {
    const row = document.createElement('tr');
    cell(row, 'None', 'empty');
    tbody.append(row);
    return;
  }
  for (const [name, value] of Object.entries(decode(jwt))) {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = name;
    row.append(th);
    const shown = TIMES.has(name)
      ? value + '  (' + new Date(value * 1000).toLocaleString() + ')'
      : Array.isArray(value)
        ? value.join(', ')
        : String(value);
    cell(row, shown, 'mono');
    tbody.append(row);
  }
}

function render() {
  claimsTable($('access-claims'), tokens.access);
  claimsTable($('id-claims'), tokens.id);
  // The end of the signature: it changes with every token (the start, the header, never does).
  $('access-token').textContent = tokens.access ? '…' + tokens.access.slice(-16) : '';
  $('id-token').textContent = tokens.id ? '…' + tokens.id.slice(-16) : '';
  $('document-cookie').textContent = JSON.stringify(document.cookie);
  if (tokens.access) {
    const claims = decode(tokens.access);
    const groups = claims['cognito:groups'] || [];
    const id = tokens.id ? decode(tokens.id) : {};
    $('status').textContent =
      'Signed in as ' + (id.email || claims.username) + ' · groups: ' + (groups.join(', ') || 'none');
    $('expiry').textContent =
      'Issued ' +
      new Date(claims.iat * 1000).toLocaleString() +
      ', expires ' +
      new Date(claims.exp * 1000).toLocaleString() +
      '.';
  } else {
    $('status').textContent = 'Signed out';
    $('expiry').textContent = 'No tokens.';
  }
  tick();
}

function tick() {
  if (!tokens.access) {
    $('countdown').textContent = '--:--';
    $('bar').style.width = '0';
    return;
  }
  const { iat, exp } = decode(tokens.access);
  const left = Math.max(0, exp - Math.floor(Date.now() / 1000));
  const hours = Math.floor(left / 3600);
  const pad = (n) => String(n).padStart(2, '0');
  $('countdown').textContent =
    (hours ? hours + ':' : '') +
    pad(Math.floor((left % 3600) / 60)) +
    ':' +
    pad(left % 60) +
    (left === 0 ? ' expired' : '');
  $('bar').style.width = (100 * left) / (exp - iat) + '%';
}
setInterval(tick, 1000);

function keep(result) {
  tokens.access = result.accessToken;
  tokens.id = result.idToken;
  render();
}

function showSession(text) {
  $('session-result').textContent = text;
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { status, answer } = await post('sign-in', { username: $('username').value, password: $('password').value });
  if (status === 200 && answer.authenticationResult) {
    keep(answer.authenticationResult);
    showSession('');
    $('after-sign-out').textContent = '';
  } else if (status === 200) {
    $('status').textContent = 'Cognito asks for ' + answer.challengeName + ': answer it at POST /auth/challenge';
  } else {
    $('status').textContent = 'Sign-in failed: ' + status + ' ' + answer.code;
  }
});

$('refresh').addEventListener('click', async () => {
  const { status, answer } = await post('refresh');
  if (status === 200) {
    keep(answer.authenticationResult);
    showSession('Refreshed at ' + new Date().toLocaleTimeString() + ': new access and ID tokens.');
  } else {
    const why = answer.code === 'RefreshTokenMissing' ? ': no refresh cookie any more (signed out)' : '';
    showSession('Refresh failed: ' + status + ' ' + answer.code + ' (' + answer.message + ')' + why);
  }
});

// A guarded route called with `token` (none when null); its row in the table shows the answer.
async function callRoute(route, token, label) {
  const res = await fetch(route, { headers: token ? { Authorization: 'Bearer ' + token } : {} });
  const body = await res.json();
  log('GET', route, res.status, body);
  const tbody = $('route-results');
  if (tbody.querySelector('.empty')) tbody.textContent = '';
  let row = tbody.querySelector('tr[data-route="' + route + '"]');
  if (!row) {
    row = document.createElement('tr');
    row.dataset.route = route;
    tbody.append(row);
  }
  row.textContent = '';
  cell(row, route, 'mono route');
  cell(row, badge(res.status));
  cell(row, (res.ok ? JSON.stringify(body) : body.code) + (label ? ' · ' + label : ''));
  return res.status;
}

const ROUTES = [...document.querySelectorAll('button.route')].map((button) => button.dataset.route);

// Sign-out revokes the refresh token, not the access tokens already issued: the guard
// verifies those offline, so they pass until they expire, unless the app sets
// revocationCheck. The table is re-run with the signed-out session's access token to show it.
async function afterSignOut(oldAccess) {
  const statuses = [];
  for (const route of ROUTES) statuses.push(await callRoute(route, oldAccess, "the signed-out session's access token"));
  const { exp } = decode(oldAccess);
  const until = new Date(exp * 1000).toLocaleTimeString();
  $('after-sign-out').textContent = statuses.some((status) => status < 300)
    ? 'After sign-out, the access token of that session still works until it expires (' +
      until +
      '): sign-out revokes the refresh token, and the guard checks access tokens offline. ' +
      'With revocationCheck on, the guard asks Cognito and refuses it (401 TokenRevoked). This page no longer sends it.'
    : 'After sign-out, the access token of that session is refused: this app checks revocation ' +
      '(revocationCheck). This page no longer sends it.';
}

$('sign-out').addEventListener('click', async () => {
  const oldAccess = tokens.access;
  const { status, answer } = await post('sign-out');
  if (status === 204) {
    tokens.access = tokens.id = null;
    render();
    showSession('Signed out: the refresh token is revoked and its cookie cleared.');
    if (oldAccess) await afterSignOut(oldAccess);
  } else {
    showSession('Sign-out failed: ' + status + ' ' + answer.code);
  }
});

for (const button of document.querySelectorAll('button.route')) {
  button.addEventListener('click', () => callRoute(button.dataset.route, tokens.access, ''));
}

fetch('/demo/user')
  .then((res) => res.json())
  .then((user) => {
    if (user.username) {
      $('credentials').textContent = '';
      $('credentials').append(
        'Demo user: ',
        Object.assign(document.createElement('b'), { textContent: user.username }),
        ' · password ',
      );
      $('credentials').append(
        Object.assign(document.createElement('b'), { textContent: user.password }),
        ' (in the group readers, not admins)',
      );
      $('username').value = user.username;
      $('password').value = user.password;
    } else {
      $('credentials').textContent = 'Sign in with a user of your pool.';
    }
  });
render();
