/**
 * World knowledge as cited tables (DESIGN.md): what model servers listen on and write to, admin
 * ports, secret patterns, accelerators, image references, base-image users, operator labels. Every
 * engine reads it; none owns it. Each table names its sources beside the data.
 */
export { CLOUD_METADATA_ADDRESSES } from './cloudMetadata.js';
