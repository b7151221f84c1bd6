package fixtures

const classic = "@@gen:ghp@@"                                                                                    // secretlint:want github-pat
const badSum = "@@bad:ghp@@"                                                                                     // secretlint:nowant github-pat
const oauth = "@@gen:gho@@"                                                                                      // secretlint:want github-oauth-token
const oauthBad = "@@bad:gho@@"                                                                                   // secretlint:nowant github-oauth-token
const u2s = "@@gen:ghu@@"                                                                                        // secretlint:want github-user-to-server-token
const u2sBad = "@@bad:ghu@@"                                                                                     // secretlint:nowant github-user-to-server-token
const s2s = "@@gen:ghs@@"                                                                                        // secretlint:want github-app-installation-token
const s2sBad = "@@bad:ghs@@"                                                                                     // secretlint:nowant github-app-installation-token
const refresh = "@@gen:ghr@@"                                                                                    // secretlint:want github-refresh-token
const refreshBad = "@@bad:ghr@@"                                                                                 // secretlint:nowant github-refresh-token
const fine = "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"     // secretlint:want github-fine-grained-pat
const fineShort = "github_pat_11tCkJtW0t9DLC4Ub7eNcL_5Hm1yR0nhlJXKOvvVPwBJ8HKOGoDAD9LSrs5DuNj"                   // secretlint:nowant github-fine-grained-pat
const fineMask = "github_pat_11AAAAAAAAAAAAAAAAAAAA_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" // secretlint:nowant github-fine-grained-pat
