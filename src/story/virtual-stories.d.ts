// The course parsed at build time (scripts/storiesPlugin.ts); src/story/bundled.ts gives it its
// type (BundledStories), which an ambient module cannot import by a relative path.
declare module 'virtual:pep703-stories' {
  const data: unknown
  export default data
}
