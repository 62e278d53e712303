export * from './errors';
export * from './names';
export * from './duration';
export * from './generated-file';
export * from './app';
export * from './final-document';
export * from './values';
