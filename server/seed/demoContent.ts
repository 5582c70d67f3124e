/** Bilingual titles for the demo proposals (fictional projects in SICORP-like fields). */
export const DEMO_TOPICS: { en: string; ja: string; field: string }[] = [
  { en: 'Machine-learned interatomic potentials for solid-state electrolytes', ja: '固体電解質のための機械学習原子間ポテンシャル', field: 'materials' },
  { en: 'Coastal resilience modelling for compound flood events', ja: '複合洪水に対する沿岸レジリエンスのモデリング', field: 'disaster' },
  { en: 'Low-cost perovskite tandem cells for rural microgrids', ja: '農村マイクログリッド向け低コストペロブスカイトタンデム電池', field: 'energy' },
  { en: 'Soil microbiome engineering for rice yield under drought', ja: '干ばつ下の稲収量のための土壌マイクロバイオーム工学', field: 'agriculture' },
  { en: 'Quantum sensing of neural activity with NV centres', ja: 'NV中心を用いた神経活動の量子センシング', field: 'quantum' },
  { en: 'Early warning of landslides from distributed fibre sensing', ja: '分布型光ファイバセンシングによる地すべり早期警報', field: 'disaster' },
  { en: 'Circular recycling of rare-earth magnets', ja: 'レアアース磁石の循環型リサイクル', field: 'materials' },
  { en: 'Privacy-preserving federated learning for hospital networks', ja: '病院ネットワークのためのプライバシー保護連合学習', field: 'ai' },
  { en: 'Hydrogen embrittlement in pipeline steels', ja: 'パイプライン鋼の水素脆化', field: 'energy' },
  { en: 'Ageing societies and assistive robotics in the home', ja: '高齢社会と家庭内支援ロボティクス', field: 'ai' },
  { en: 'Ocean acidification effects on coral reef symbionts', ja: 'サンゴ礁共生藻類への海洋酸性化の影響', field: 'environment' },
  { en: 'Digital twins for earthquake-resistant timber buildings', ja: '耐震木造建築のためのデジタルツイン', field: 'disaster' },
];

export const JAPANESE_INSTITUTIONS = ['Tohoku University', 'Kyoto University', 'Osaka University', 'Nagoya University', 'Hokkaido University', 'Kyushu University'];
export const FRENCH_INSTITUTIONS = ['Sorbonne Université', 'Université Grenoble Alpes', 'Université de Strasbourg', 'CNRS Toulouse', 'Université Paris-Saclay', 'Université de Lyon'];
export const ASIAN_INSTITUTIONS: Record<string, string[]> = {
  NSTDA: ['Chulalongkorn University', 'Mahidol University', 'Kasetsart University'],
  VAST: ['Vietnam National University', 'Hanoi University of Science and Technology', 'Institute of Physics Hanoi'],
};

/** A small deterministic generator, so every fresh demo database is the same. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
