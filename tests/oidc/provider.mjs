// A real OpenID Connect provider (the certified `oidc-provider` package) on
// 127.0.0.1, for the sign-in tests only. The tests start it with:
//
//   node tests/oidc/provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// and sign in on its development login page, where any login is accepted: the
// login typed is the person's e-mail (the `email` claim), and its part before
// the @ (capitalised) is their `name`, unless the e-mail is
// unverified@... (then email_verified is false, as a provider reports an
// address it has not checked). It prints "ready" once it listens.
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!redirectUri) {
  console.error('usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}

const nameOf = (email) => {
  const local = email.split('@')[0];
  return local.charAt(0).toUpperCase() + local.slice(1);
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    // Streamlit sends people back to its callback after signing out.
    post_logout_redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Streamlit reads who signed in from the ID token, as Google's and
  // Microsoft's carry the e-mail and name there.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith('unverified@'), name: nameOf(id) };
      },
    };
  },
  // A first-party app: no consent screen, as with an internal Google Workspace app.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  cookies: { keys: ['test-only-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});

provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
