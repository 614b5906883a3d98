/**
 * The blog post, finished: two claims that its code never got as far as.
 *
 * - "Encrypted with your private key; only the receiver can decrypt": with public-key
 *   JWE (reference/public-key-flow.ts) only the receiver decrypts, but anyone can
 *   encrypt, so a decrypted token says nothing about its sender until it is signed.
 * - "One strong key for the whole lifetime": keys rotate (reference/key-rotation.ts),
 *   old tokens verify during an overlap, and fail with jose's codes after it.
 */

import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, EncryptJWT, SignJWT } from 'jose'
import { describe, expect, test } from 'vitest'
import {
  DEFAULT_OVERLAP_SECONDS,
  findKey,
  issueWithCurrentKeys,
  keySet,
  newKey,
  type RotatingKeys,
  readWithKeySets,
  rotate,
} from '../../reference/key-rotation.ts'
import {
  decryptForMe,
  decryptThenVerifyFrom,
  encryptFor,
  generateReceiverKeys,
  generateSenderKeys,
  signThenEncryptFor,
} from '../../reference/public-key-flow.ts'

const SERVICE = { issuer: 'https://auth.example', audience: 'https://api.example' }

describe('public-key JWE: only the receiver decrypts, anyone encrypts', () => {
  test('whoever holds the public key can encrypt; only the private key decrypts', async () => {
    const receiver = await generateReceiverKeys()
    const eavesdropper = await generateReceiverKeys()
    const token = await encryptFor({ sub: 'alice' }, receiver.publicKey, SERVICE)

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM' })
    expect((await decryptForMe(token, receiver.privateKey, SERVICE)).sub).toBe('alice')
    // Any other private key, the encrypting party's own included, derives another key
    // encryption key (RFC 7518 §4.6.2), and the content key does not unwrap.
    await expect(decryptForMe(token, eavesdropper.privateKey, SERVICE)).rejects.toMatchObject({
      code: 'ERR_JWE_DECRYPTION_FAILED',
    })
  })

  test("an outsider's forged but well-encrypted token decrypts fine", async () => {
    const receiver = await generateReceiverKeys()
    // The outsider has what every sender has: the receiver's public key. They write the
    // claims they like, the issuer's name included, and encrypt them properly.
    const forged = await encryptFor({ sub: 'mallory', role: 'admin' }, receiver.publicKey, SERVICE)

    const claims = await decryptForMe(forged, receiver.privateKey, SERVICE)
    expect(claims).toMatchObject({ sub: 'mallory', role: 'admin', iss: 'https://auth.example' })
  })

  test('sign, then encrypt: the same outsider is refused, the real sender is not', async () => {
    const receiver = await generateReceiverKeys()
    const sender = await generateSenderKeys()
    const outsider = await generateSenderKeys()
    const read = (token: string) =>
      decryptThenVerifyFrom(token, receiver.privateKey, sender.publicKey, SERVICE)

    const genuine = await signThenEncryptFor(
      { sub: 'alice' },
      sender.privateKey,
      receiver.publicKey,
      SERVICE,
    )
    expect(decodeProtectedHeader(genuine)).toEqual({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      cty: 'JWT',
      epk: expect.objectContaining({ kty: 'EC', crv: 'P-256' }),
    })
    expect((await read(genuine)).sub).toBe('alice')

    // Signed with the outsider's own key, encrypted properly: the signature gives it away.
    const signedByOutsider = await signThenEncryptFor(
      { sub: 'mallory', role: 'admin' },
      outsider.privateKey,
      receiver.publicKey,
      SERVICE,
    )
    await expect(read(signedByOutsider)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
    // Not signed at all: no cty "JWT", so there is no signature to check.
    const unsigned = await encryptFor({ sub: 'mallory' }, receiver.publicKey, SERVICE)
    await expect(read(unsigned)).rejects.toMatchObject({ code: 'ERR_JWT_INVALID' })
  })

  test('the reader picks the algorithms: ECDH-ES without key wrapping is refused', async () => {
    const receiver = await generateReceiverKeys()
    const direct = await new EncryptJWT({
      sub: 'alice',
      ...{ iss: SERVICE.issuer, aud: SERVICE.audience },
    })
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime('15m')
      .encrypt(receiver.publicKey)
    await expect(decryptForMe(direct, receiver.privateKey, SERVICE)).rejects.toMatchObject({
      code: 'ERR_JOSE_ALG_NOT_ALLOWED',
    })
  })
})

describe('key rotation with kid on both layers', () => {
  const T0 = new Date('2026-03-01T09:00:00Z')
  const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000)
  const keys = (): RotatingKeys => ({
    signing: keySet(newKey('sig-2026-03')),
    encryption: keySet(newKey('enc-2026-03')),
  })
  const rotateBoth = (old: RotatingKeys, when: Date): RotatingKeys => ({
    signing: rotate(old.signing, newKey('sig-2026-04'), when),
    encryption: rotate(old.encryption, newKey('enc-2026-04'), when),
  })

  test('each header names its key: the JWE the encryption key, the JWS inside the signing key', async () => {
    const ring = keys()
    const token = await issueWithCurrentKeys({ sub: 'alice' }, ring, {
      ...SERVICE,
      currentDate: T0,
    })
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
      cty: 'JWT',
      kid: 'enc-2026-03',
    })
    const { plaintext } = await compactDecrypt(token, ring.encryption.current.key)
    expect(decodeProtectedHeader(new TextDecoder().decode(plaintext))).toEqual({
      alg: 'HS256',
      typ: 'JWT',
      kid: 'sig-2026-03',
    })
  })

  test('during the overlap old tokens verify; new tokens use the new keys', async () => {
    const before = keys()
    const old = await issueWithCurrentKeys({ sub: 'alice' }, before, {
      ...SERVICE,
      lifetimeSeconds: 3600,
      currentDate: T0,
    })
    const after = rotateBoth(before, at(5))
    const fresh = await issueWithCurrentKeys({ sub: 'bob' }, after, {
      ...SERVICE,
      currentDate: at(6),
    })

    expect(decodeProtectedHeader(fresh).kid).toBe('enc-2026-04')
    for (const minutes of [6, 30, 59]) {
      const read = { ...SERVICE, currentDate: at(minutes) }
      expect((await readWithKeySets(old, after, read)).sub).toBe('alice')
    }
    expect((await readWithKeySets(fresh, after, { ...SERVICE, currentDate: at(6) })).sub).toBe(
      'bob',
    )
    // The old set knows nothing of the new keys.
    await expect(
      readWithKeySets(fresh, before, { ...SERVICE, currentDate: at(6) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  test('after the overlap an old token fails, whatever its exp says', async () => {
    const before = keys()
    const old = await issueWithCurrentKeys({ sub: 'alice' }, before, {
      ...SERVICE,
      lifetimeSeconds: 3600,
      currentDate: T0,
    })
    const after = rotateBoth(before, at(5))
    // A ten-minute overlap, shorter than the token's hour: the token dies with its key,
    // 45 minutes before its exp. (Which is why the default overlap is the longest lifetime.)
    const short = { ...SERVICE, overlapSeconds: 600 }
    const lastMoment = new Date(at(15).getTime() - 1)
    expect((await readWithKeySets(old, after, { ...short, currentDate: lastMoment })).sub).toBe(
      'alice',
    )
    await expect(
      readWithKeySets(old, after, { ...short, currentDate: at(15) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    // With the default overlap the key outlives the token: its exp refuses it first.
    expect(DEFAULT_OVERLAP_SECONDS).toBe(3600)
    await expect(
      readWithKeySets(old, after, { ...SERVICE, currentDate: at(60) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    })
    await expect(
      readWithKeySets(old, after, { ...SERVICE, currentDate: at(65) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  test('the layers rotate on their own: a retired signing key inside a current encryption key', async () => {
    const before = keys()
    const old = await issueWithCurrentKeys({ sub: 'alice' }, before, {
      ...SERVICE,
      currentDate: T0,
    })
    const after: RotatingKeys = {
      signing: rotate(before.signing, newKey('sig-2026-04'), at(1)),
      encryption: before.encryption,
    }
    const short = { ...SERVICE, overlapSeconds: 300 }
    expect((await readWithKeySets(old, after, { ...short, currentDate: at(5) })).sub).toBe('alice')
    // The JWE still decrypts (its key is current); the JWS inside names a key that is gone.
    const rejection = readWithKeySets(old, after, { ...short, currentDate: at(6) })
    await expect(rejection).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' })
    await expect(rejection).rejects.toThrow('no key named "sig-2026-03" is accepted now')
  })

  test('a kid is a name to look up, nothing more', async () => {
    const ring = keys()
    for (const kid of [
      undefined,
      '',
      'sig-2026-02',
      '__proto__',
      'constructor',
      '../../etc/passwd',
      7,
    ]) {
      expect(() => findKey(ring.signing, kid, T0, 3600), String(kid)).toThrow(
        expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
      )
    }
    // A current name on a token made with another key: the name finds the key, the tag says no.
    const stranger = newKey('enc-2026-03')
    const signed = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'sig-2026-03' })
      .sign(ring.signing.current.key)
    const forged = await new CompactEncrypt(new TextEncoder().encode(signed))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT', kid: stranger.kid })
      .encrypt(stranger.key)
    await expect(
      readWithKeySets(forged, ring, { ...SERVICE, currentDate: T0 }),
    ).rejects.toMatchObject({
      code: 'ERR_JWE_DECRYPTION_FAILED',
    })
  })

  test('a key name is never reused', () => {
    const ring = keys()
    const next = rotate(ring.signing, newKey('sig-2026-04'), T0)
    expect(() => rotate(next, newKey('sig-2026-03'), at(1))).toThrow(
      new TypeError('kid "sig-2026-03" is already in the set; names are never reused'),
    )
  })
})
