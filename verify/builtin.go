package verify

// Builtin returns the built-in verifiers, one per provider or token kind.
// docs/verify.md documents each.
func Builtin() []*Verifier {
	return []*Verifier{
		awsSTS,
		githubUser, githubInstallation, gitlabPAT,
		slackAuth, slackWebhook,
		stripeAccount,
		openAI, anthropicKey, anthropicAdmin, huggingFace, replicate, groq, mistral, cohere, wandb, baseten,
		npmWhoami, sentry, postman, linear, notion, doppler, heroku, digitalOcean, cloudflare,
		sendgrid, mailgun, twilio, telegram, discordBot, discordWebhook,
		datadog, newRelic,
		googleAPIKey,
		vault, databricks,
	}
}
