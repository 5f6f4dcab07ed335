// Answers a follow-up questionnaire in a real browser with JavaScript switched off, as a respondent
// would: tick, type, save, come back, submit. Drives Debian's Chromium (Playwright's own browser
// download is not used). Usage: node tests/browser/questionnaire.mjs URL
// Prints one JSON line with what it saw; exits non-zero when a step fails.
import { chromium } from 'playwright-core';

const url = process.argv[2];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
const seen = {};
try {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(url);
  seen.title = await page.title();
  seen.lang = await page.locator('html').getAttribute('lang');

  // Every form control has a label that names it.
  const controls = page.locator('input:not([type=hidden])');
  const count = await controls.count();
  let unlabelled = 0;
  for (let i = 0; i < count; i++) {
    const id = await controls.nth(i).getAttribute('id');
    if (!id || (await page.locator(`label[for="${id}"]`).count()) !== 1) unlabelled++;
  }
  seen.controls = count;
  seen.unlabelled = unlabelled;

  await page.getByLabel('In kleinere omvang').check();
  await page.getByLabel('Later dan gepland').check();
  await page.getByLabel(/Hoeveel is tot nu toe/).fill('25000');
  await page.locator('#productivity-4').check();
  await page.getByRole('button', { name: 'Tussentijds opslaan' }).click();
  seen.savedNotice = await page.getByRole('status').innerText();

  // Come back later with the same link: the answers are still there.
  await page.goto(url);
  seen.smallerStillTicked = await page.getByLabel('In kleinere omvang').isChecked();
  seen.moneyStillFilled = await page.getByLabel(/Hoeveel is tot nu toe/).inputValue();

  await page.getByRole('button', { name: 'Antwoorden versturen' }).click();
  seen.confirmation = await page.getByRole('heading', { level: 1 }).innerText();

  // The link is used up.
  const again = await page.goto(url);
  seen.reuseStatus = again.status();
  console.log(JSON.stringify(seen));
} catch (error) {
  console.log(JSON.stringify({ ...seen, error: String(error) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
