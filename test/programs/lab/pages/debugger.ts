/// <reference lib="dom" />
/**
 * The token debugger's page script: reads the three inputs, asks analysis.ts what to
 * show, and draws it. Everything is built with `textContent` and `createElement`,
 * never with HTML strings: a token is attacker-controlled text, and a debugger that
 * rendered it as markup would be the XSS it is meant to explain.
 *
 * Nothing leaves the page. There is no fetch, no storage, no URL parameter; the
 * page's Content-Security-Policy (`connect-src 'none'`) would refuse a connection
 * even if a bug tried one. test/browser/debugger.test.ts watches every request.
 */

import { base64url, CompactEncrypt, SignJWT } from 'jose'
import { type Analysis, analyse, type Check, type DebuggerKeys, type Layer } from './analysis.ts'
import { type KeyFormat, RULES } from './strictness.ts'

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`the page has no #${id}`)
  return found as T
}

const tokenInput = element<HTMLTextAreaElement>('token')
const signingKeyInput = element<HTMLInputElement>('signing-key')
const signingFormat = element<HTMLSelectElement>('signing-format')
const encryptionKeyInput = element<HTMLInputElement>('encryption-key')
const encryptionFormat = element<HTMLSelectElement>('encryption-format')
const output = element<HTMLElement>('output')

function make(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className !== undefined) node.className = className
  return node
}

/** The coloured token: one span per segment, dots in between, jwt.io style. */
function anatomy(layer: Layer): HTMLElement {
  const box = make(
    'p',
    undefined,
    `anatomy ${layer.kind === undefined ? '' : layer.kind.toLowerCase()}`,
  )
  box.setAttribute('aria-label', `${layer.title}: ${layer.segments.length} segments`)
  layer.segments.forEach((segment, i) => {
    if (i > 0) box.append(make('span', '.', 'dot'))
    const span = make('span', segment.text === '' ? '(empty)' : segment.text, `segment s${i}`)
    span.dataset.segment = segment.name
    box.append(span)
  })
  return box
}

function legend(layer: Layer): HTMLElement {
  const list = make(
    'ul',
    undefined,
    `legend ${layer.kind === undefined ? '' : layer.kind.toLowerCase()}`,
  )
  layer.segments.forEach((segment, i) => {
    const item = make('li')
    item.append(make('span', '■', `swatch s${i}`), ` ${segment.name}: `)
    item.append(segment.bytes === undefined ? 'does not decode' : `${segment.bytes} bytes`)
    list.append(item)
  })
  return list
}

function json(title: string, value: unknown, testId: string): HTMLElement {
  const section = make('section')
  section.append(make('h4', title))
  const pre = make('pre', JSON.stringify(value, null, 2))
  pre.dataset.testid = testId
  section.append(pre)
  return section
}

function checkItem(check: Check): HTMLElement {
  const item = make('li', undefined, `check ${check.outcome.replace(' ', '-')}`)
  item.dataset.step = check.step
  item.dataset.outcome = check.outcome
  item.append(make('strong', `${check.step}: ${check.outcome}`), ` — ${check.detail}`)
  return item
}

/** One layer: what is wrong with it first, then what it says. */
function layerSection(layer: Layer): HTMLElement {
  const section = make('section', undefined, 'layer')
  section.dataset.layer = layer.title
  section.append(make('h3', layer.title), anatomy(layer), legend(layer))
  if (layer.notes.length > 0) {
    const notes = make('ul', undefined, 'notes')
    for (const note of layer.notes) {
      const item = make('li')
      item.dataset.rule = note.rule
      item.append(make('strong', RULES[note.rule]), `: ${note.detail}`)
      notes.append(item)
    }
    section.append(make('h4', 'Refused by the strict profile'), notes)
  }
  if (layer.checks.length > 0) {
    const checks = make('ul', undefined, 'checks')
    for (const check of layer.checks) checks.append(checkItem(check))
    section.append(make('h4', 'What jose says, with this page’s allowlists'), checks)
  }
  if (layer.header !== undefined) section.append(json('Protected header', layer.header, 'header'))
  if (layer.claims !== undefined) {
    section.append(json(`Claims (readable by ${layer.readableBy})`, layer.claims, 'claims'))
  }
  if (layer.content !== undefined) section.append(json('Content', layer.content, 'content'))
  if (layer.times.length > 0) {
    const times = make('dl', undefined, 'times')
    for (const time of layer.times) {
      times.append(make('dt', time.claim))
      const reading = make('dd', time.reading)
      reading.dataset.claim = time.claim
      times.append(reading)
    }
    section.append(make('h4', 'Times'), times)
  }
  return section
}

const VERDICTS: Readonly<Record<Analysis['verdict'], string>> = {
  accepted: 'Accepted: no rule broken, every check passed.',
  refused: 'Refused: see the notes and checks below.',
  incomplete: 'Not verified: give the key(s) to check the signature and the encryption.',
}

function render(analysis: Analysis): void {
  const verdict = make('p', VERDICTS[analysis.verdict], `verdict ${analysis.verdict}`)
  verdict.id = 'verdict'
  verdict.dataset.verdict = analysis.verdict
  output.replaceChildren(verdict, ...analysis.layers.map(layerSection))
}

function keyInput(input: HTMLInputElement, format: HTMLSelectElement): DebuggerKeys['signing'] {
  return { text: input.value.trim(), format: format.value as KeyFormat }
}

// Each edit starts a new analysis; only the latest one may draw.
let generation = 0

async function update(): Promise<void> {
  generation++
  const mine = generation
  const token = tokenInput.value.trim()
  document.body.dataset.state = 'working'
  if (token === '') {
    output.replaceChildren()
    document.body.dataset.state = 'idle'
    return
  }
  const keys: DebuggerKeys = {
    signing: keyInput(signingKeyInput, signingFormat),
    encryption: keyInput(encryptionKeyInput, encryptionFormat),
  }
  const analysis = await analyse(token, keys, new Date())
  if (mine !== generation) return
  render(analysis)
  document.body.dataset.state = 'done'
}

function schedule(): void {
  update().catch((error: unknown) => {
    output.replaceChildren(make('p', `The debugger failed: ${String(error)}`, 'verdict refused'))
    document.body.dataset.state = 'done'
  })
}

/** A fresh example, made in the page with fresh random keys: nothing is fetched. */
async function example(kind: 'nested' | 'jws'): Promise<void> {
  const signingKey = crypto.getRandomValues(new Uint8Array(32))
  const now = Math.floor(Date.now() / 1000)
  const jws = await new SignJWT({ sub: 'alice', role: 'user' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('jose-by-hand lab')
    .setAudience('lab-debugger')
    .setIssuedAt(now)
    .setExpirationTime(now + 15 * 60)
    .sign(signingKey)
  signingKeyInput.value = base64url.encode(signingKey)
  signingFormat.value = 'base64url'
  if (kind === 'jws') {
    tokenInput.value = jws
    encryptionKeyInput.value = ''
  } else {
    const encryptionKey = crypto.getRandomValues(new Uint8Array(32))
    tokenInput.value = await new CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
      .encrypt(encryptionKey)
    encryptionKeyInput.value = base64url.encode(encryptionKey)
    encryptionFormat.value = 'base64url'
  }
  schedule()
}

for (const input of [tokenInput, signingKeyInput, encryptionKeyInput]) {
  input.addEventListener('input', schedule)
}
for (const select of [signingFormat, encryptionFormat]) select.addEventListener('change', schedule)
element('example-nested').addEventListener('click', () => void example('nested'))
element('example-jws').addEventListener('click', () => void example('jws'))
document.body.dataset.state = 'idle'
schedule()
