import { describe, expect, it } from 'vitest'
import { nameWords, toFileName, toIdentifier } from '../../src/definitions/identifier.js'

describe('toIdentifier', () => {
  it('gives one identifier for the usual spellings of a name', () => {
    for (const name of [
      'New Contact Created',
      'new-contact-created',
      'new_contact.created',
      'NEW_CONTACT_CREATED',
      'newContactCreated',
      '  New   Contact / Created! ',
    ]) {
      expect(toIdentifier(name), name).toBe('NewContactCreated')
      expect(toFileName(name), name).toBe('new-contact-created')
    }
  })

  it('prefixes names that start with a digit, keeping digits with their letters', () => {
    expect(toIdentifier('3D Secure Challenge Failed')).toBe('Event3dSecureChallengeFailed')
    expect(toFileName('3D Secure Challenge Failed')).toBe('3d-secure-challenge-failed')
    expect(toIdentifier('2FA Enabled')).toBe('Event2faEnabled')
    expect(toIdentifier('24h Digest Sent')).toBe('Event24hDigestSent')
  })

  it('splits case humps and acronyms', () => {
    expect(nameWords('HTTPRequestFailed')).toEqual(['HTTP', 'Request', 'Failed'])
    expect(toIdentifier('HTTP Request Failed')).toBe('HttpRequestFailed')
    expect(nameWords('apiV2Called')).toEqual(['api', 'V2', 'Called'])
    expect(nameWords('v2Api')).toEqual(['v2', 'Api'])
    expect(nameWords('3DSecure')).toEqual(['3D', 'Secure'])
    expect(toIdentifier('OAuth2 Token Refreshed')).toBe('OAuth2TokenRefreshed')
  })

  it('handles punctuation and accents', () => {
    expect(toIdentifier('Subscription Renewed (Annual)')).toBe('SubscriptionRenewedAnnual')
    expect(toFileName('Subscription Renewed (Annual)')).toBe('subscription-renewed-annual')
    expect(toIdentifier("Customer's Order #42 Shipped")).toBe('CustomerSOrder42Shipped')
    expect(toIdentifier('Contact Créé')).toBe('ContactCree')
    expect(toIdentifier('Ünïcödé Ëvent')).toBe('UnicodeEvent')
  })

  it('keeps letters of other scripts, which are valid identifier characters', () => {
    const identifier = toIdentifier('注文 作成')!
    expect(identifier).toBe('注文作成')
    expect(() => new Function(`const ${identifier} = 1`)).not.toThrow()
  })

  it('keeps known brand names whole: GitHub is one word, not git-hub', () => {
    expect(toFileName('GitHub Issues')).toBe('github-issues')
    expect(toIdentifier('GitHub Issues')).toBe('GitHubIssues')
    // Written in any case, a brand word takes the brand's casing in identifiers.
    expect(toIdentifier('github_issues')).toBe('GitHubIssues')
    expect(nameWords('myHubSpotDeal')).toEqual(['my', 'HubSpot', 'Deal'])
    expect(toFileName('OAuth2 Token Expired')).toBe('oauth2-token-expired')
    expect(toIdentifier('oauth2 token expired')).toBe('OAuth2TokenExpired')
    // A longer word that merely starts like a brand splits as before.
    expect(nameWords('GitHubber')).toEqual(['Git', 'Hubber'])
  })

  it('has no identifier for a name without letters or digits', () => {
    expect(toIdentifier('!!!')).toBeUndefined()
    expect(toFileName(' - ')).toBeUndefined()
  })

  it('always gives a valid JavaScript identifier and a safe file name', () => {
    for (const name of ['a', '1', 'x-1-y', 'Ǆemal', 'ßtraße', 'İstanbul Order', '9 Lives', 'rock & roll', 'a.b/c\\d']) {
      const identifier = toIdentifier(name)!
      expect(() => new Function(`const ${identifier} = 1`), `${name} -> ${identifier}`).not.toThrow()
      expect(toFileName(name)).toMatch(/^[\p{Ll}\p{Lo}\p{Nd}][\p{Ll}\p{Lo}\p{Nd}-]*$/u)
    }
  })
})
