// A tiny, dependency-free highlighter for the pseudo-C (and the few lines of Python) the code
// panel shows. Our snippets are short, single-line-comment code written for this project, so a
// regex scanner per line is enough: no grammar library is needed and the bundle stays small.

export type TokenKind = 'kw' | 'type' | 'fn' | 'macro' | 'num' | 'str' | 'com' | 'pre' | 'text'

export interface Token {
  readonly kind: TokenKind
  readonly text: string
}

export type CodeLang = 'c' | 'python'

const C_KEYWORDS = new Set([
  'if', 'else', 'return', 'while', 'for', 'do', 'static', 'inline', 'void', 'struct', 'goto', 'break',
  'continue', 'const', 'sizeof', 'switch', 'case', 'default', 'typedef', 'extern', 'int', 'char',
  'unsigned', 'long',
])
const PY_KEYWORDS = new Set([
  'def', 'with', 'while', 'not', 'return', 'if', 'else', 'elif', 'in', 'for', 'pass', 'None', 'True',
  'False', 'self', 'and', 'or', 'is', 'class', 'lambda', 'yield',
])
const C_TYPES = new Set([
  'PyObject', 'PyTypeObject', 'PyThreadState', 'PyInterpreterState', 'PyMutex', 'PyListObject',
  'PyDictObject', 'PyFunctionObject', 'PyCodeObject', 'PyCriticalSection', 'PyCriticalSection2',
  'PyGC_Head', 'Py_ssize_t', 'Py_hash_t', 'destructor', 'inquiry', 'mi_segment_t', 'mi_heap_t',
  '_PyStackRef', '_PyThreadStateImpl', 'bool',
])

// One alternative per token class; `y` keeps the scanner anchored where the last match ended.
const C_TOKEN = /(\/\/.*|\/\*.*?\*\/)|("(?:[^"\\]|\\.)*")|(#\s*[A-Za-z]+)|(0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(\s+|.)/y
const PY_TOKEN = /(#.*)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|()(0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(\s+|.)/y

function identifierKind(lang: CodeLang, word: string, rest: string): TokenKind {
  if (lang === 'python') {
    if (PY_KEYWORDS.has(word)) return 'kw'
    return /^\s*\(/.test(rest) ? 'fn' : 'text'
  }
  if (C_KEYWORDS.has(word)) return 'kw'
  if (C_TYPES.has(word) || /^u?int(8|16|32|64|ptr)_t$/.test(word) || /^struct_/.test(word)) return 'type'
  if (/^\s*\(/.test(rest)) return 'fn'
  // Constants and macros: upper case once a Py / _Py / _PyGC-style prefix is set aside.
  const bare = word.replace(/^_?Py_?/, '')
  if ((bare.length > 1 && /^[A-Z][A-Z0-9_]*$/.test(bare)) || word === 'NULL') return 'macro'
  return 'text'
}

/** Splits one line of code into tokens; adjacent plain text is merged. */
export function tokenize(line: string, lang: CodeLang = 'c'): Token[] {
  const re = lang === 'c' ? C_TOKEN : PY_TOKEN
  const out: Token[] = []
  const add = (kind: TokenKind, text: string) => {
    const last = out[out.length - 1]
    if (kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind, text: last.text + text }
    else out.push({ kind, text })
  }
  re.lastIndex = 0
  while (re.lastIndex < line.length) {
    const m = re.exec(line)
    if (!m) break
    const [text, com, str, pre, num, word] = m
    if (com) add('com', text)
    else if (str) add('str', text)
    else if (pre) add('pre', text)
    else if (num) add('num', text)
    else if (word) add(identifierKind(lang, word, line.slice(re.lastIndex)), text)
    else add('text', text)
  }
  return out
}
