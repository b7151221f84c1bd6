const config = {
  secretKey: process.env.STRIPE_SECRET_KEY, // secretlint:nowant generic-secret
  apiToken: "sYm43A50X5xm-vTOe39ik8VMr", // secretlint:want generic-secret
  passwordHint: "MuMuAYTg2g0ZqvXmVamL", // secretlint:nowant generic-secret
};
if(this.credentials=t.credentials||this.credentials||"same-origin",!t.headers&&t)this.url=e; // secretlint:nowant generic-secret
var n={password:e.password&&e.password.trim(),secret:r.secret||o.secret};n.token=t.token||i.token; // secretlint:nowant generic-secret
fetch(url, {credentials: fetchOptions?.credentials, headers}); // secretlint:nowant generic-secret
class Flows { password: Openapi_V3_OauthFlow; } // secretlint:nowant generic-secret
