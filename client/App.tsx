import { useEffect, useState } from 'react';

interface Health {
  ok: boolean;
  database: { state: string; embedded: boolean; pingMs: number | null };
}

/** Placeholder shell until the review screens land: shows that the server and database answer. */
export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    fetch('/healthz')
      .then((res) => res.json() as Promise<Health>)
      .then(setHealth, () => setFailed(true));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', lineHeight: 1.5 }}>
      <h1>Godo 合同</h1>
      <p>Joint review workspace for international research funding programmes.</p>
      <p lang="ja">国際共同研究プログラムの合同審査ワークスペース</p>
      <p role="status">
        {failed && 'Server unreachable'}
        {health &&
          `Database: ${health.database.state}${health.database.embedded ? ' (embedded)' : ''}`}
      </p>
    </main>
  );
}
