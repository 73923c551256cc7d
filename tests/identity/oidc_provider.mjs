// An independent OpenID provider for the identity tests: node_modules' oidc-provider (OpenID
// Certified), configured like a FinChat IAM (fcid, name, organization_id claims, refresh tokens,
// Basic client authentication). The interaction (login, consent) finishes at once for the user
// named by login_hint, so tests need no browser. Prints {"issuer": ...} once listening.
//
// usage: node oidc_provider.mjs CLIENT_ID CLIENT_SECRET REDIRECT_URI
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const [clientId, clientSecret, redirectUri] = process.argv.slice(2);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'independent-1', alg: 'RS256', use: 'sig' };

const people = {
  '@carol:example.org': { name: 'carol', organization_id: '00042', email: 'carol@example.org' },
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['fcid', 'name', 'organization_id', 'email'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { methods: ['S256'], required: () => false },
    issueRefreshToken: async () => true,
    ttl: { AccessToken: 60, IdToken: 60, RefreshToken: 600, Grant: 600, Session: 600, Interaction: 600 },
    async findAccount(ctx, id) {
      if (!people[id]) return undefined;
      return { accountId: id, async claims() { return { sub: id, fcid: id, ...people[id] }; } };
    },
  });
  provider.proxy = false;
  const oidc = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url.startsWith('/interaction/')) return oidc(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const accountId = details.params.login_hint;
      if (!people[accountId]) {
        res.statusCode = 400;
        return res.end('unknown login_hint');
      }
      const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, {
        login: { accountId },
        consent: { grantId },
      }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  });
  process.stdout.write(JSON.stringify({ issuer }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
