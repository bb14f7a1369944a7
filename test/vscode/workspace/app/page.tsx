export default function Home() {
  return <main>Route Atlas fixture</main>;
}
