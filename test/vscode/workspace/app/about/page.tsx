// Conflicts with ./route.ts: a page and a route handler at the same URL (/about) make `next build` fail.
export default function About() {
  return <main>About</main>;
}
