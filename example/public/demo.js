'use strict';
// The browser's side of a server-side session: no token here at all. The server keeps the tokens
// and refreshes them; the browser has an HttpOnly session cookie, which fetch sends with
// credentials: 'same-origin'. Unsafe methods carry the CSRF header the session needs.
const $ = (id) => document.getElementById(id);
const CSRF = { 'X-Requested-With': 'fetch' };
// The last GET /auth/session answer: who is signed in and until when, never a token.
let session = null;

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

// A call to this app: the session cookie, the CSRF header on unsafe methods, JSON in and out.
async function call(method, path, body) {
  const headers = method === 'GET' ? {} : { ...CSRF };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = res.status === 204 ? null : await res.json();
  log(method, path, res.status, answer);
  return { status: res.status, answer };
}

const time = (seconds) => new Date(seconds * 1000).toLocaleTimeString();
const dateTime = (seconds) => new Date(seconds * 1000).toLocaleString();

function render() {
  $('document-cookie').textContent = JSON.stringify(document.cookie);
  const tbody = $('session-summary');
  tbody.textContent = '';
  if (!session) {
    $('status').textContent = 'Signed out';
    $('expiry').textContent = 'No session.';
    $('sign-out-form').hidden = true;
    tick();
    return;
  }
  const groups = session.groups.join(', ') || 'none';
  $('status').textContent = 'Signed in as ' + (session.email || session.username) + ' · groups: ' + groups;
  $('expiry').textContent =
    'Access token expires at ' +
    time(session.accessTokenExpiresAt) +
    '; the session ends at ' +
    dateTime(session.expiresAt);
  $('sign-out-form').hidden = false;
  for (const [name, value] of Object.entries(session)) {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = name;
    row.append(th);
    const shown = /ExpiresAt$|^expiresAt$/.test(name)
      ? value + '  (' + dateTime(value) + ')'
      : Array.isArray(value)
        ? value.join(', ')
        : String(value);
    cell(row, shown, 'mono');
    tbody.append(row);
  }
  tick();
}

// The access token's lifetime is unknown here (the page never sees it): the bar spans the time since
// the page last saw a new expiry.
let seenAt = Date.now() / 1000;
function tick() {
  if (!session) {
    $('countdown').textContent = '--:--';
    $('bar').style.width = '0';
    return;
  }
  const exp = session.accessTokenExpiresAt;
  const left = Math.max(0, exp - Math.floor(Date.now() / 1000));
  const hours = Math.floor(left / 3600);
  const pad = (n) => String(n).padStart(2, '0');
  $('countdown').textContent =
    (hours ? hours + ':' : '') +
    pad(Math.floor((left % 3600) / 60)) +
    ':' +
    pad(left % 60) +
    (left === 0 ? ' expired' : '');
  $('bar').style.width = Math.min(100, (100 * left) / Math.max(1, exp - seenAt)) + '%';
  if (left === 0 && !$('refreshed').textContent.startsWith('Expired'))
    $('refreshed').textContent = 'Expired on the server: the next request is served after a refresh there.';
}
setInterval(tick, 1000);

// Who is signed in; after a guarded call, whether the server refreshed the access token meanwhile.
async function loadSession() {
  const before = session;
  const { status, answer } = await call('GET', '/auth/session');
  session = status === 200 ? answer : null;
  if (session && before && session.accessTokenExpiresAt > before.accessTokenExpiresAt) {
    seenAt = Date.now() / 1000;
    $('refreshed').textContent =
      'The server refreshed the access token (this page never saw it): it now expires at ' +
      time(session.accessTokenExpiresAt) +
      '.';
  }
  render();
  return status;
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { status, answer } = await call('POST', '/auth/sign-in', {
    username: $('username').value,
    password: $('password').value,
  });
  if (status === 200 && answer.signedIn) {
    session = answer.session;
    seenAt = Date.now() / 1000;
    $('refreshed').textContent = '';
    showSession('Signed in with a password: the session cookie is set, the tokens stayed on the server.');
    render();
  } else if (status === 200) {
    $('status').textContent = 'Cognito asks for ' + answer.challengeName + ': answer it at POST /auth/challenge';
  } else {
    $('status').textContent = 'Sign-in failed: ' + status + ' ' + answer.code;
  }
});

function showSession(text) {
  $('session-result').textContent = text;
}

// A guarded route; its row in the table shows the answer.
async function callRoute(route) {
  const { status, answer } = await call('GET', route);
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
  cell(row, badge(status));
  cell(row, status < 300 ? JSON.stringify(answer) : answer.code);
  await loadSession();
  return status;
}

for (const button of document.querySelectorAll('button.route')) {
  button.addEventListener('click', () => callRoute(button.dataset.route));
}

// With managed login the form posts to /auth/logout as it is (a top-level post: the browser follows
// the redirect through Cognito's /logout and back here). Without it, the password session's sign-out.
let managedLogin = false;
$('sign-out-form').addEventListener('submit', async (event) => {
  if (managedLogin) return;
  event.preventDefault();
  const { status, answer } = await call('POST', '/auth/sign-out');
  if (status === 204) {
    session = null;
    render();
    showSession('Signed out: the session is ended on the server and its refresh token revoked.');
  } else {
    showSession('Sign-out failed: ' + status + ' ' + answer.code);
  }
});

function showSetup(setup) {
  managedLogin = setup.managedLogin;
  $('managed-login').hidden = !setup.managedLogin;
  for (const provider of setup.managedLogin ? setup.identityProviders : []) {
    const link = document.createElement('a');
    link.className = 'button secondary';
    link.href = '/auth/login?provider=' + encodeURIComponent(provider);
    link.textContent = 'Sign in with ' + provider;
    $('identity-providers').append(link);
  }
  const { user } = setup;
  if (user) {
    $('credentials').textContent = '';
    $('credentials').append(
      'Demo user: ',
      Object.assign(document.createElement('b'), { textContent: user.username }),
      ' · password ',
      Object.assign(document.createElement('b'), { textContent: user.password }),
      ' (in the group readers, not admins)',
    );
    $('username').value = user.username;
    $('password').value = user.password;
  } else {
    $('credentials').textContent = 'Sign in with a user of your pool.';
  }
}

// Back from Cognito: a cancelled login says why in the query (managed login's loginError).
const loginError = new URLSearchParams(location.search).get('loginError');
if (loginError) showSession('The login did not complete: ' + loginError);

fetch('/demo/setup')
  .then((res) => res.json())
  .then(showSetup)
  .then(loadSession);
render();
