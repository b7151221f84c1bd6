package rules

import (
	"sort"
	"sync"
)

// gitleaksAliases maps the ids of gitleaks 8.x default rules to the built-in
// rules that detect the same credentials, so gitleaks configurations
// (targetRules, disabledRules), .gitleaksignore entries and [severity]
// tables written against gitleaks ids keep working. Facts only: an id and
// the credential it stands for.
var gitleaksAliases = map[string][]string{
	"1password-service-account-token":             {"onepassword-service-account-token"},
	"adafruit-api-key":                            {"adafruit-io-key"},
	"age-secret-key":                              {"age-secret-key"},
	"airtable-personnal-access-token":             {"airtable-pat"},
	"algolia-api-key":                             {"algolia-admin-api-key"},
	"alibaba-access-key-id":                       {"alibaba-access-key-id"},
	"anthropic-admin-api-key":                     {"anthropic-admin-key"},
	"anthropic-api-key":                           {"anthropic-api-key"},
	"artifactory-api-key":                         {"jfrog-api-key"},
	"atlassian-api-token":                         {"atlassian-api-token"},
	"aws-access-token":                            {"aws-access-key-id"},
	"azure-ad-client-secret":                      {"azure-ad-client-secret"},
	"beamer-api-token":                            {"beamer-api-key"},
	"clickhouse-cloud-api-secret-key":             {"clickhouse-cloud-api-secret"},
	"clojars-api-token":                           {"clojars-token"},
	"cloudflare-api-key":                          {"cloudflare-api-token"},
	"cloudflare-origin-ca-key":                    {"cloudflare-origin-ca-key"},
	"cohere-api-token":                            {"cohere-api-key"},
	"confluent-access-token":                      {"confluent-api-key"},
	"confluent-secret-key":                        {"confluent-api-secret"},
	"curl-auth-header":                            {"authorization-bearer", "authorization-basic"},
	"databricks-api-token":                        {"databricks-token"},
	"datadog-access-token":                        {"datadog-api-key", "datadog-app-key"},
	"digitalocean-access-token":                   {"digitalocean-oauth-token"},
	"digitalocean-pat":                            {"digitalocean-pat"},
	"digitalocean-refresh-token":                  {"digitalocean-refresh-token"},
	"doppler-api-token":                           {"doppler-token"},
	"dropbox-long-lived-api-token":                {"dropbox-long-lived-token"},
	"dropbox-short-lived-api-token":               {"dropbox-access-token"},
	"dynatrace-api-token":                         {"dynatrace-api-token"},
	"easypost-api-token":                          {"easypost-api-key"},
	"easypost-test-api-token":                     {"easypost-api-key"},
	"facebook-page-access-token":                  {"facebook-access-token"},
	"facebook-secret":                             {"facebook-app-secret"},
	"finnhub-access-token":                        {"finnhub-api-key"},
	"flickr-access-token":                         {"flickr-api-secret"},
	"flyio-access-token":                          {"fly-access-token"},
	"frameio-api-token":                           {"frameio-developer-token"},
	"gcp-api-key":                                 {"google-api-key"},
	"generic-api-key":                             {"generic-secret"},
	"github-app-token":                            {"github-user-to-server-token", "github-app-installation-token"},
	"github-fine-grained-pat":                     {"github-fine-grained-pat"},
	"github-oauth":                                {"github-oauth-token"},
	"github-pat":                                  {"github-pat"},
	"github-refresh-token":                        {"github-refresh-token"},
	"gitlab-cicd-job-token":                       {"gitlab-ci-job-token"},
	"gitlab-deploy-token":                         {"gitlab-deploy-token"},
	"gitlab-feed-token":                           {"gitlab-feed-token"},
	"gitlab-incoming-mail-token":                  {"gitlab-incoming-mail-token"},
	"gitlab-kubernetes-agent-token":               {"gitlab-agent-token"},
	"gitlab-oauth-app-secret":                     {"gitlab-oauth-app-secret"},
	"gitlab-pat":                                  {"gitlab-pat"},
	"gitlab-pat-routable":                         {"gitlab-pat"},
	"gitlab-ptt":                                  {"gitlab-pipeline-trigger-token"},
	"gitlab-rrt":                                  {"gitlab-runner-token"},
	"gitlab-runner-authentication-token":          {"gitlab-runner-token"},
	"gitlab-runner-authentication-token-routable": {"gitlab-runner-token"},
	"gitlab-scim-token":                           {"gitlab-scim-token"},
	"gocardless-api-token":                        {"gocardless-access-token"},
	"grafana-api-key":                             {"grafana-api-key"},
	"grafana-cloud-api-token":                     {"grafana-cloud-token"},
	"grafana-service-account-token":               {"grafana-service-account-token"},
	"harness-api-key":                             {"harness-pat"},
	"hashicorp-tf-api-token":                      {"terraform-cloud-token"},
	"heroku-api-key":                              {"heroku-api-key-legacy", "heroku-api-key"},
	"heroku-api-key-v2":                           {"heroku-api-key"},
	"huggingface-access-token":                    {"huggingface-token"},
	"huggingface-organization-api-token":          {"huggingface-org-token"},
	"infracost-api-token":                         {"infracost-api-key"},
	"jfrog-api-key":                               {"jfrog-api-key"},
	"jfrog-identity-token":                        {"jfrog-identity-token"},
	"jwt":                                         {"jwt"},
	"jwt-base64":                                  {"jwt"},
	"kraken-access-token":                         {"kraken-api-secret"},
	"kucoin-secret-key":                           {"kucoin-api-secret"},
	"linear-api-key":                              {"linear-api-key"},
	"mailchimp-api-key":                           {"mailchimp-api-key"},
	"mailgun-private-api-token":                   {"mailgun-api-key"},
	"mapbox-api-token":                            {"mapbox-public-token"},
	"messagebird-api-token":                       {"messagebird-api-key"},
	"netlify-access-token":                        {"netlify-access-token"},
	"new-relic-browser-api-token":                 {"newrelic-browser-key"},
	"new-relic-insert-key":                        {"newrelic-insert-key"},
	"new-relic-user-api-key":                      {"newrelic-user-api-key"},
	"notion-api-token":                            {"notion-integration-token"},
	"npm-access-token":                            {"npm-token"},
	"nuget-config-password":                       {"markup-secret"},
	"okta-access-token":                           {"okta-api-token"},
	"openai-api-key":                              {"openai-api-key"},
	"perplexity-api-key":                          {"perplexity-api-key"},
	"plaid-api-token":                             {"plaid-access-token"},
	"plaid-secret-key":                            {"plaid-secret"},
	"planetscale-api-token":                       {"planetscale-token"},
	"planetscale-oauth-token":                     {"planetscale-token"},
	"planetscale-password":                        {"planetscale-password"},
	"postman-api-token":                           {"postman-api-key"},
	"prefect-api-token":                           {"prefect-api-key"},
	"private-key":                                 {"private-key", "putty-private-key"},
	"pulumi-api-token":                            {"pulumi-access-token"},
	"pypi-upload-token":                           {"pypi-token", "testpypi-token"},
	"rapidapi-access-token":                       {"rapidapi-key"},
	"readme-api-token":                            {"readme-api-key"},
	"rubygems-api-token":                          {"rubygems-api-key"},
	"sendbird-access-token":                       {"sendbird-api-token"},
	"sendgrid-api-token":                          {"sendgrid-api-key"},
	"settlemint-application-access-token":         {"settlemint-access-token"},
	"settlemint-personal-access-token":            {"settlemint-access-token"},
	"settlemint-service-access-token":             {"settlemint-access-token"},
	"sendinblue-api-token":                        {"brevo-api-key"},
	"sentry-access-token":                         {"sentry-user-token"},
	"sentry-org-token":                            {"sentry-org-token"},
	"sentry-user-token":                           {"sentry-user-token"},
	"shippo-api-token":                            {"shippo-api-token"},
	"shopify-access-token":                        {"shopify-access-token"},
	"shopify-custom-access-token":                 {"shopify-custom-app-token"},
	"shopify-private-app-access-token":            {"shopify-private-app-token"},
	"shopify-shared-secret":                       {"shopify-shared-secret"},
	"slack-app-token":                             {"slack-app-token"},
	"slack-bot-token":                             {"slack-bot-token"},
	"slack-config-access-token":                   {"slack-config-token"},
	"slack-config-refresh-token":                  {"slack-refresh-token"},
	"slack-legacy-bot-token":                      {"slack-legacy-token"},
	"slack-legacy-token":                          {"slack-legacy-token"},
	"slack-legacy-workspace-token":                {"slack-legacy-token"},
	"slack-user-token":                            {"slack-user-token"},
	"slack-webhook-url":                           {"slack-webhook"},
	"snyk-api-token":                              {"snyk-token"},
	"sonar-api-token":                             {"sonarcloud-token", "sonarqube-token"},
	"sourcegraph-access-token":                    {"sourcegraph-token"},
	"square-access-token":                         {"square-access-token"},
	"square-secret":                               {"square-oauth-secret"},
	"squarespace-access-token":                    {"squarespace-api-key"},
	"stripe-access-token":                         {"stripe-secret-key", "stripe-restricted-key", "stripe-test-key"},
	"sumologic-access-token":                      {"sumologic-access-key"},
	"telegram-bot-api-token":                      {"telegram-bot-token"},
	"travisci-access-token":                       {"travis-ci-token"},
	"twilio-api-key":                              {"twilio-api-key"},
	"twitch-api-token":                            {"twitch-client-secret"},
	"twitter-access-secret":                       {"twitter-access-token-secret"},
	"typeform-api-token":                          {"typeform-pat"},
	"vault-batch-token":                           {"vault-batch-token"},
	"vault-service-token":                         {"vault-service-token", "vault-legacy-token"},
	"yandex-access-token":                         {"yandex-cloud-iam-token"},
	"yandex-api-key":                              {"yandex-cloud-api-key"},
	"zendesk-secret-key":                          {"zendesk-api-token"},
}

// GitleaksAlias returns the built-in rule ids that stand for a gitleaks
// default rule id, or nil when id is not one.
func GitleaksAlias(id string) []string { return gitleaksAliases[id] }

// GitleaksIDs returns the gitleaks default rule ids that stand for a
// built-in rule, sorted.
func GitleaksIDs(id string) []string { return gitleaksReverse()[id] }

// GitleaksAliasIDs returns every gitleaks id in the alias table, sorted.
func GitleaksAliasIDs() []string {
	ids := make([]string, 0, len(gitleaksAliases))
	for id := range gitleaksAliases {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

var gitleaksReverse = sync.OnceValue(func() map[string][]string {
	rev := map[string][]string{}
	for _, gl := range GitleaksAliasIDs() {
		for _, id := range gitleaksAliases[gl] {
			rev[id] = append(rev[id], gl)
		}
	}
	return rev
})

// Why a gitleaks default id has no row in gitleaksAliases.
const (
	whyIdentifier      = "identifier, not a credential: no rule by design"
	whyPublishable     = "publishable key, meant to be public: no rule by design"
	whyGeneric         = "no rule of its own; generic-secret reports gitleaks' form of it when it is assigned to a name"
	whyKubernetesCheck = "no rule of its own; the hygiene check k8s-plaintext-secret reports a committed Secret's values, and the rules for their formats report the decoded values"
	whyFileName        = "no rule: gitleaks reports every .p12/.pfx file by its name alone, and secretlint's rules read text; the dockerfile-copy-credentials and secret-file-permissions checks name such files"
	whyRetired         = "no rule: HubSpot retired API keys in 2022; its private app tokens (pat-...) are hubspot-private-app-token"
)

// gitleaksNoRule holds the gitleaks 8.x default ids that no built-in rule
// stands for, with the reason docs/gitleaks.md gives. Such an id is known:
// naming it in disabledRules, targetRules, [severity] or --enable-rule is not
// an error, and it applies to nothing.
var gitleaksNoRule = map[string]string{
	"adobe-client-id":               whyIdentifier,
	"alibaba-secret-key":            whyGeneric,
	"asana-client-id":               whyIdentifier,
	"asana-client-secret":           whyGeneric,
	"bitbucket-client-id":           whyIdentifier,
	"bitbucket-client-secret":       whyGeneric,
	"bittrex-access-key":            whyGeneric,
	"bittrex-secret-key":            whyGeneric,
	"cisco-meraki-api-key":          whyGeneric,
	"cloudflare-global-api-key":     whyGeneric,
	"codecov-access-token":          whyGeneric,
	"coinbase-access-token":         whyGeneric,
	"contentful-delivery-api-token": whyGeneric,
	"discord-api-token":             whyGeneric,
	"discord-client-id":             whyIdentifier,
	"discord-client-secret":         whyGeneric,
	"droneci-access-token":          whyGeneric,
	"dropbox-api-token":             whyGeneric,
	"etsy-access-token":             whyGeneric,
	"finicity-api-token":            whyGeneric,
	"finicity-client-secret":        whyGeneric,
	"flutterwave-public-key":        whyPublishable,
	"freshbooks-access-token":       whyGeneric,
	"hashicorp-tf-password":         whyGeneric,
	"hubspot-api-key":               whyRetired,
	"intercom-api-key":              whyGeneric,
	"kubernetes-secret-yaml":        whyKubernetesCheck,
	"kucoin-access-token":           whyGeneric,
	"linear-client-secret":          whyGeneric,
	"linkedin-client-id":            whyIdentifier,
	"lob-pub-api-key":               whyPublishable,
	"looker-client-id":              whyIdentifier,
	"looker-client-secret":          whyGeneric,
	"mailgun-pub-key":               whyPublishable,
	"mailgun-signing-key":           whyGeneric,
	"messagebird-client-id":         whyIdentifier,
	"new-relic-user-api-id":         whyIdentifier,
	"nytimes-access-token":          whyGeneric,
	"pkcs12-file":                   whyFileName,
	"plaid-client-id":               whyIdentifier,
	"privateai-api-token":           whyGeneric,
	"sendbird-access-id":            whyIdentifier,
	"sumologic-access-id":           whyIdentifier,
	"yandex-aws-access-token":       whyGeneric,
}

// GitleaksNoRule reports whether id is a gitleaks default rule id that no
// built-in rule stands for, and why.
func GitleaksNoRule(id string) (why string, ok bool) {
	why, ok = gitleaksNoRule[id]
	return why, ok
}

// GitleaksNoRuleIDs returns every gitleaks id in the no-rule table, sorted.
func GitleaksNoRuleIDs() []string {
	ids := make([]string, 0, len(gitleaksNoRule))
	for id := range gitleaksNoRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
