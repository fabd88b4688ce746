export declare const pagePaths: {
  skill(scope: string, name: string): string;
  version(scope: string, name: string, version: string): string;
  file(scope: string, name: string, version: string, path: string): string;
  scope(scope: string): string;
};
export declare function lineAnchor(line: number): string;
