// Values computed elsewhere cannot be pointed at; literal keys can.
const extra = { ['max' + 'FileBytes']: -1 }

export default {
  outDir: 42,
  sync: {
    concurrency: 0,
  },
  environments: {
    production: {
      baseUrl: 'https://app.refold.ai',
      apiKeyEnv: 'REFOLD_API_KEY',
      apiKey: 'do-not-print-me',
    },
  },
  ...extra,
}
