/** Archive readers shared by the model and image scanners: one tar reader (CPython tarfile's reading). */
export { isTarHeader, listTar, TAR_BLOCK, tarNumber, type TarListing, type TarMember } from './tar.js';
