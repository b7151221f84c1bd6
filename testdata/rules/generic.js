const config = {
  secretKey: process.env.STRIPE_SECRET_KEY, // secretlint:nowant generic-secret
  apiToken: "sYm43A50X5xm-vTOe39ik8VMr", // secretlint:want generic-secret
  passwordHint: "MuMuAYTg2g0ZqvXmVamL", // secretlint:nowant generic-secret
};
