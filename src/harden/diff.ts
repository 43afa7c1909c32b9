import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';

/** A unified diff (`git diff` style headers), or "" when the texts are equal. */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const label = path === '-' ? 'stdin' : path.replace(/^\/+/, '');
  return createTwoFilesPatch(`a/${label}`, `b/${label}`, before, after, undefined, undefined, { context, headerOptions: FILE_HEADERS_ONLY });
}
