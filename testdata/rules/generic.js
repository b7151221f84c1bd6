const config = {
  secretKey: process.env.STRIPE_SECRET_KEY, // secretlint:nowant generic-secret
  apiToken: "YTg2g0ZqvXmV-amL0l9trOTsa", // secretlint:want generic-secret
  passwordHint: "O0Geq9AKOdZ2Q2An6cN5", // secretlint:nowant generic-secret
};
