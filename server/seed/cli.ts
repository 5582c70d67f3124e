import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { connectDatabase } from '../db/connect.js';
import { createModels, syncIndexes } from '../models/index.js';
import { seedDemo } from './demo.js';

/** `npm run seed -- --demo`: seeds the demo calls into an empty database (MONGODB_URI or the embedded one). */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config);
  if (!process.argv.includes('--demo')) {
    logger.error('usage: npm run seed -- --demo');
    process.exit(2);
  }
  if (config.NODE_ENV === 'production') {
    logger.error('refusing to seed demo data with NODE_ENV=production');
    process.exit(2);
  }
  const db = await connectDatabase(config, logger);
  try {
    const models = createModels(db.connection);
    await syncIndexes(models);
    const { seeded } = await seedDemo(models, logger, new Date());
    logger.info(seeded ? 'demo data written' : 'the database already has people in it; nothing seeded');
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
