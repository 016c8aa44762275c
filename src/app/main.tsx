import { StrictMode, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { Notes } from '../present/Notes'
import { Presenter } from '../present/Presenter'
import { App } from './App'
import { ErrorBoundary } from './ErrorBoundary'
import { registry } from '../story/bundled'
import { storySource } from './course/route'
import { BUILTIN_SCENARIOS } from './scenarios'
import './app.css'

const root = document.getElementById('root')
if (!root) throw new Error('PEP 703 Explorer: no #root element in index.html')

// ?present=1: presenter mode; ?notes=1: its speaker notes (README: Presenting).
// Both show the course's stories too (the Present button of a story's view opens story=<its id>).
const params = new URLSearchParams(window.location.search)
const all = [...BUILTIN_SCENARIOS, ...registry.stories.map(storySource)]
let page: ReactNode = <App />
if (params.get('notes') === '1') page = <Notes scenarios={all} />
else if (params.get('present') === '1') page = <Presenter scenarios={all} />

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary what="the explorer">{page}</ErrorBoundary>
  </StrictMode>,
)
