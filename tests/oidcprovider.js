// A real OpenID provider for the single sign-on tests: the npm package oidc-provider on 127.0.0.1.
//
//   node tests/oidcprovider.js --port 4000 --client-id rpa --client-secret s3cret \
//        --redirect-uri http://127.0.0.1:8000/oidc/callback [--tokens-file issued.jsonl] \
//        [--no-userinfo]
//
// One confidential client (client_secret_basic, PKCE required), a fresh RSA signing key at each
// start, and a few accounts with a `groups` claim (the `groups` scope asks for it). Logging in goes
// through oidc-provider's development interactions: the login page is a form whose `login` field
// names the account (any password); consent is granted at once (`loadExistingGrant`), as for a
// first-party client, so a test completes the flow with one form post. The scopes' claims are in
// the user info only, as with most providers; with --no-userinfo there is no user info endpoint
// and the ID token carries them. Every access token and authorization code issued is
// appended to --tokens-file, so a test can prove none reached a log. Prints one JSON line,
// {"issuer": ...}, once it listens; ends on SIGTERM or when its standard input closes.
// It is CommonJS (the project's package.json has no "type") importing the ES module oidc-provider.
const { generateKeyPairSync } = require('node:crypto');
const { appendFileSync } = require('node:fs');
const { parseArgs } = require('node:util');

const { values: options } = parseArgs({
  options: {
    port: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string' },
    'tokens-file': { type: 'string' },
    'no-userinfo': { type: 'boolean', default: false },
  },
});
for (const name of ['port', 'client-id', 'client-secret', 'redirect-uri']) {
  if (!options[name]) {
    process.stderr.write(`oidcprovider.js: --${name} is required\n`);
    process.exit(2);
  }
}

const ACCOUNTS = {
  alice: {
    name: 'Alice Martin', preferred_username: 'alice', email: 'alice@example.org', groups: ['claims-agents'],
  },
  // No preferred_username: rpa names her account after her e-mail address.
  bob: { name: 'Bob Leroy', email: 'bob.leroy@example.org', groups: ['claims-agents', 'claims-leads'] },
  carol: {
    name: 'Carol Petit', preferred_username: 'carol', email: 'carol@example.org', groups: ['marketing'],
  },
  erin: { name: 'Erin Blanc', preferred_username: 'erin', email: 'erin@example.org', groups: ['claims-agents'] },
  dave: {
    name: 'Dave Admin', preferred_username: 'dave', email: 'dave@example.org', groups: ['rpa-admins'],
  },
};

async function main() {
  const { default: Provider } = await import('oidc-provider');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const issuer = `http://127.0.0.1:${options.port}`;

  const provider = new Provider(issuer, {
    clients: [{
      client_id: options['client-id'],
      client_secret: options['client-secret'],
      redirect_uris: [options['redirect-uri']],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['only-for-tests-cookie-key'] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    features: { devInteractions: { enabled: true }, userinfo: { enabled: !options['no-userinfo'] } },
    pkce: { required: () => true },
    async findAccount(ctx, sub) {
      const account = ACCOUNTS[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, ...account };
        },
      };
    },
    // Consent is implied: the grant covers every scope the client asked for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
  });

  if (options['tokens-file']) {
    for (const event of ['access_token.saved', 'authorization_code.saved']) {
      provider.on(event, (token) => {
        appendFileSync(options['tokens-file'], `${JSON.stringify({ kind: event, value: token.jti })}\n`);
      });
    }
  }

  provider.listen(Number(options.port), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ issuer })}\n`);
  });
  const stop = () => process.exit(0); // everything it holds is in memory
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((error) => {
  process.stderr.write(`oidcprovider.js: ${error.stack}\n`);
  process.exit(1);
});
