import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { ErrorBoundary } from './ErrorBoundary'
import './app.css'

const root = document.getElementById('root')
if (!root) throw new Error('PEP 703 Explorer: no #root element in index.html')

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary what="the explorer">
      <App />
    </ErrorBoundary>
  </StrictMode>,
)
