/**
 * The glass-box primitives (src/glass-box/) against node:crypto (OpenSSL: AES-NI and
 * PCLMULQDQ where the CPU has them) and the audited pure-JavaScript @noble packages, at
 * 1 KiB and 1 MiB; and the time the nonce-reuse forgery needs to recover the GHASH key H.
 * docs/08-inside-the-primitives.md explains what the ratios mean. node:crypto plays the
 * floor, so "× floor time" is how many times slower than OpenSSL a contender is.
 */

import assert from 'node:assert/strict'
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { gcm } from '@noble/ciphers/aes.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { encryptCompact } from 'jose-by-hand'
import { recoverHashKeyCandidates } from 'jose-by-hand/attacks'
import * as glass from 'jose-by-hand/glass-box'
import { type BenchCase, type Contender, type Role, sizeLabel } from './cases.ts'

/** 1 KiB and 1 MiB. */
export const GLASS_BOX_SIZES: readonly number[] = [1024, 1024 * 1024]

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** A contender whose output must equal node:crypto's before it is timed. */
function sameAsNode(
  name: string,
  role: Role,
  run: () => Uint8Array,
  reference: () => Uint8Array,
): Contender {
  async function sanity(): Promise<void> {
    assert.equal(hex(run()), hex(reference()), `${name}: not what node:crypto computes`)
  }
  return { name, role, async: false, run, sanity }
}

function primitiveCases(size: number): BenchCase[] {
  const data = new Uint8Array(randomBytes(size))
  const key = new Uint8Array(randomBytes(32))
  const iv = new Uint8Array(randomBytes(12))
  const aad = new Uint8Array(randomBytes(39))
  const nodeSha = (): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest())
  const nodeHmac = (): Uint8Array => new Uint8Array(createHmac('sha256', key).update(data).digest())
  const nodeGcm = (): Uint8Array => {
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
    cipher.setAAD(aad)
    const ciphertext = cipher.update(data)
    cipher.final()
    return new Uint8Array(Buffer.concat([ciphertext, cipher.getAuthTag()]))
  }
  const glassGcm = (): Uint8Array => {
    const { ciphertext, tag } = glass.gcmEncrypt(key, iv, data, aad)
    return new Uint8Array(Buffer.concat([ciphertext, tag]))
  }
  const sizeText = sizeLabel(size)
  return [
    {
      id: `glass-sha256-${size}`,
      title: `SHA-256 of ${sizeText}`,
      group: 'glass',
      bytes: size,
      contenders: [
        sameAsNode('glass box', 'peer', () => glass.sha256(data), nodeSha),
        sameAsNode('@noble/hashes', 'peer', () => sha256(data), nodeSha),
        sameAsNode('node:crypto', 'floor', nodeSha, nodeSha),
      ],
    },
    {
      id: `glass-hmac-${size}`,
      title: `HMAC-SHA-256 of ${sizeText}`,
      group: 'glass',
      bytes: size,
      contenders: [
        sameAsNode('glass box', 'peer', () => glass.hmacSha256(key, data), nodeHmac),
        sameAsNode('@noble/hashes', 'peer', () => hmac(sha256, key, data), nodeHmac),
        sameAsNode('node:crypto', 'floor', nodeHmac, nodeHmac),
      ],
    },
    {
      id: `glass-gcm-${size}`,
      title: `AES-256-GCM encrypt of ${sizeText}`,
      group: 'glass',
      bytes: size,
      contenders: [
        sameAsNode('glass box', 'peer', glassGcm, nodeGcm),
        sameAsNode('@noble/ciphers', 'peer', () => gcm(key, iv, aad).encrypt(data), nodeGcm),
        sameAsNode('node:crypto', 'floor', nodeGcm, nodeGcm),
      ],
    },
  ]
}

/** Two dir + A256GCM tokens under one key and IV, each with 4 ciphertext blocks (64 bytes). */
function recoveryCase(): BenchCase {
  const key = new Uint8Array(randomBytes(32))
  const iv = new Uint8Array(randomBytes(12))
  const tokens = [
    encryptCompact(new Uint8Array(randomBytes(64)), key, undefined, { iv }),
    encryptCompact(new Uint8Array(randomBytes(64)), key, undefined, { iv }),
  ]
  const h = hex(glass.aesEncryptBlock(key, new Uint8Array(16)))
  const run = (): Uint8Array[] => recoverHashKeyCandidates(tokens)
  async function sanity(): Promise<void> {
    assert.ok(run().map(hex).includes(h), 'H is not among the recovered candidates')
  }
  return {
    id: 'glass-h-recovery',
    title: 'GCM nonce reuse: H from two tokens of 4 blocks',
    group: 'glass',
    contenders: [{ name: 'recoverHashKeyCandidates', role: 'peer', async: false, run, sanity }],
  }
}

/** The glass-box cases of `npm run bench` (ids start with "glass"). */
export function glassBoxCases(): BenchCase[] {
  return [...GLASS_BOX_SIZES.flatMap(primitiveCases), recoveryCase()]
}
