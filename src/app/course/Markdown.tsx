// Story prose and narration as React elements, from marked's tokens. No HTML string is ever
// produced or injected: raw HTML in the Markdown is shown as text, link targets other than
// http(s), mailto, relative paths and fragments are dropped (the text stays), images show their
// alt text. So story prose can never run a script or add markup of its own.

import { Lexer, type Token, type Tokens } from 'marked'
import { Fragment, useMemo, type ReactNode } from 'react'

const SAFE_URL = /^(?:https?:|mailto:|#|\.{0,2}\/|[\w.-]+(?:[/?#]|$))/i

/** The link target if it is safe to use as an href, or null. */
export function safeHref(href: string): string | null {
  const clean = href.trim()
  // A scheme other than http(s)/mailto (javascript:, data:, vbscript:, …) is refused.
  if (/^[a-z][a-z0-9+.-]*:/i.test(clean) && !/^(?:https?|mailto):/i.test(clean)) return null
  return SAFE_URL.test(clean) ? clean : null
}

function inline(tokens: readonly Token[] | undefined, key = ''): ReactNode[] {
  return (tokens ?? []).map((t, i) => inlineToken(t, `${key}${i}`))
}

function inlineToken(t: Token, key: string): ReactNode {
  switch (t.type) {
    case 'strong':
      return <strong key={key}>{inline((t as Tokens.Strong).tokens, key)}</strong>
    case 'em':
      return <em key={key}>{inline((t as Tokens.Em).tokens, key)}</em>
    case 'del':
      return <del key={key}>{inline((t as Tokens.Del).tokens, key)}</del>
    case 'codespan':
      return <code key={key}>{(t as Tokens.Codespan).text}</code>
    case 'br':
      return <br key={key} />
    case 'link': {
      const link = t as Tokens.Link
      const href = safeHref(link.href)
      const children = inline(link.tokens, key)
      if (href === null) return <Fragment key={key}>{children}</Fragment>
      const external = /^https?:/i.test(href)
      return (
        <a key={key} href={href} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
          {children}
        </a>
      )
    }
    case 'image':
      return <Fragment key={key}>{(t as Tokens.Image).text}</Fragment>
    case 'text': {
      const text = t as Tokens.Text
      return text.tokens?.length ? <Fragment key={key}>{inline(text.tokens, key)}</Fragment> : <Fragment key={key}>{text.text}</Fragment>
    }
    case 'escape':
      return <Fragment key={key}>{(t as Tokens.Escape).text}</Fragment>
    case 'html':
      // Raw HTML is shown as the text it is, never parsed.
      return <Fragment key={key}>{t.raw}</Fragment>
    default:
      return <Fragment key={key}>{t.raw}</Fragment>
  }
}

function block(tokens: readonly Token[], headingOffset: number, key = ''): ReactNode[] {
  return tokens.map((t, i) => blockToken(t, headingOffset, `${key}${i}.`))
}

function blockToken(t: Token, headingOffset: number, key: string): ReactNode {
  switch (t.type) {
    case 'space':
    case 'def':
      return null
    case 'paragraph':
      return <p key={key}>{inline((t as Tokens.Paragraph).tokens, key)}</p>
    case 'heading': {
      const h = t as Tokens.Heading
      const level = Math.min(6, h.depth + headingOffset)
      const Tag = `h${level}` as 'h2'
      return <Tag key={key}>{inline(h.tokens, key)}</Tag>
    }
    case 'code':
      return (
        <pre key={key}>
          <code>{(t as Tokens.Code).text}</code>
        </pre>
      )
    case 'blockquote':
      return <blockquote key={key}>{block((t as Tokens.Blockquote).tokens, headingOffset, key)}</blockquote>
    case 'hr':
      return <hr key={key} />
    case 'list': {
      const list = t as Tokens.List
      const items = list.items.map((item, i) => (
        <li key={i}>
          {item.loose ? block(item.tokens, headingOffset, `${key}${i}.`) : item.tokens.map((c, j) => (c.type === 'text' ? inlineToken(c, `${key}${i}.${j}`) : blockToken(c, headingOffset, `${key}${i}.${j}.`)))}
        </li>
      ))
      return list.ordered ? (
        <ol key={key} start={typeof list.start === 'number' && list.start !== 1 ? list.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      )
    }
    case 'table': {
      const table = t as Tokens.Table
      return (
        <table key={key}>
          <thead>
            <tr>
              {table.header.map((cell, i) => (
                <th key={i} scope="col">
                  {inline(cell.tokens, `${key}h${i}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c}>{inline(cell.tokens, `${key}${r}.${c}`)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )
    }
    case 'html':
      return (
        <p key={key} className="md-raw">
          {t.raw.trim()}
        </p>
      )
    case 'text': {
      const text = t as Tokens.Text
      return <p key={key}>{text.tokens?.length ? inline(text.tokens, key) : text.text}</p>
    }
    default:
      return <p key={key}>{t.raw}</p>
  }
}

export interface MarkdownProps {
  readonly text: string
  /** Added to heading levels: `## Foo` with offset 1 becomes an h3 (default 1). */
  readonly headingOffset?: number
}

/** Block Markdown (prose, narration paragraphs) as React elements; never HTML. */
export function Markdown({ text, headingOffset = 1 }: MarkdownProps) {
  const nodes = useMemo(() => {
    try {
      return block(Lexer.lex(text), headingOffset)
    } catch {
      return [<p key="raw">{text}</p>]
    }
  }, [text, headingOffset])
  return <>{nodes}</>
}

/** One line of inline Markdown (`code`, *emphasis*, **strong**, links) as React elements; never HTML. */
export function InlineMarkdown({ text }: { readonly text: string }) {
  const nodes = useMemo(() => {
    try {
      return inline(Lexer.lexInline(text))
    } catch {
      return [text]
    }
  }, [text])
  return <>{nodes}</>
}
