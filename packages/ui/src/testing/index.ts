export { CHROMIUM_PATH, launchBrowser, openUi, saveScreenshot, UI_VIEWPORT } from './ui-browser.js';
