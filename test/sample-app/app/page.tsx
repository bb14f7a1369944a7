export default function Home() {
  return <main>Sample shop</main>;
}
