export { uiAssets, type UiAsset, type UiAssets } from './ui-assets.js';
export { UiAssetsMissingError } from './ui-assets-missing-error.js';
export { uiHandler, type UiRequestHandler } from './ui-handler.js';
