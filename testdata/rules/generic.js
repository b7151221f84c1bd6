const config = {
  secretKey: process.env.STRIPE_SECRET_KEY, // secretlint:nowant generic-secret
  apiToken: "lpRLRXL8jwQ0-mMvgmCZt0UHy", // secretlint:want generic-secret
  passwordHint: "U8kIV0tqsHV8yu0Xtuij", // secretlint:nowant generic-secret
};
