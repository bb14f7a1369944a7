import type { ts } from 'ts-morph';
import type { FunctionNode } from './handlerInfo';
import type { Span } from './model';
import { spanOfNode } from './spans';
import { propertyNameText } from './staticValues';
import { SyntaxKind } from './typescriptBindings';

/**
 * The shape of a type annotation, as far as syntax tells it without a type checker: enough to know for
 * certain that a handler's parameter or return type is not one Next.js's generated route types accept.
 * Anything the syntax cannot decide (a type reference, `any`, a generic) is `other`.
 */
export type TypeShape =
  | { kind: 'primitive'; text: string }
  | { kind: 'object'; members: TypeMember[]; open: boolean }
  | { kind: 'promise'; of: TypeShape }
  | { kind: 'union'; of: TypeShape[] }
  | { kind: 'other' };

export interface TypeMember {
  name: string;
  optional: boolean;
  shape: TypeShape;
}

/** One annotation of a handler: its text as written (cut short), where it is, and its shape. */
export interface TypeAnnotationFact {
  text: string;
  span: Span;
  shape: TypeShape;
}

/** The annotated parts of a handler's signature that Next.js's route types check. */
export interface HandlerSignature {
  request?: TypeAnnotationFact;
  context?: TypeAnnotationFact;
  returns?: TypeAnnotationFact;
}

/** Type literals nest (`{ params: Promise<{ id: string }> }`); deeper than this nothing more is certain. */
const MAX_SHAPE_DEPTH = 6;
/** Members read from one type literal; a longer one is left as `other`. */
const MAX_MEMBERS = 64;
const MAX_TEXT = 200;

const PRIMITIVE_KEYWORDS = new Map<number, string>();

function primitiveKeywords(): Map<number, string> {
  if (PRIMITIVE_KEYWORDS.size === 0) {
    PRIMITIVE_KEYWORDS.set(SyntaxKind.StringKeyword, 'string');
    PRIMITIVE_KEYWORDS.set(SyntaxKind.NumberKeyword, 'number');
    PRIMITIVE_KEYWORDS.set(SyntaxKind.BooleanKeyword, 'boolean');
    PRIMITIVE_KEYWORDS.set(SyntaxKind.BigIntKeyword, 'bigint');
    PRIMITIVE_KEYWORDS.set(SyntaxKind.SymbolKeyword, 'symbol');
  }
  return PRIMITIVE_KEYWORDS;
}

/** The signature facts of a function that is itself the exported handler; undefined when nothing is annotated. */
export function handlerSignatureOf(fn: FunctionNode, sourceFile: ts.SourceFile): HandlerSignature | undefined {
  const signature: HandlerSignature = {};
  const [first, second] = fn.parameters;
  if (first?.type && !first.dotDotDotToken) signature.request = annotationFact(first.type, sourceFile);
  if (second?.type && !second.dotDotDotToken) signature.context = annotationFact(second.type, sourceFile);
  if (fn.type) signature.returns = annotationFact(fn.type, sourceFile);
  return signature.request || signature.context || signature.returns ? signature : undefined;
}

function annotationFact(node: ts.TypeNode, sourceFile: ts.SourceFile): TypeAnnotationFact {
  const text = node.getText(sourceFile);
  return { text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text, span: spanOfNode(node, sourceFile), shape: shapeOf(node, sourceFile, 0) };
}

function shapeOf(node: ts.TypeNode, sourceFile: ts.SourceFile, depth: number): TypeShape {
  if (depth > MAX_SHAPE_DEPTH) return { kind: 'other' };
  const keyword = primitiveKeywords().get(node.kind);
  if (keyword) return { kind: 'primitive', text: keyword };
  switch (node.kind) {
    case SyntaxKind.ParenthesizedType:
      return shapeOf((node as ts.ParenthesizedTypeNode).type, sourceFile, depth + 1);
    case SyntaxKind.LiteralType: {
      const literal = (node as ts.LiteralTypeNode).literal;
      // `null` is a literal type too; whether it is accepted depends on strictNullChecks.
      if (literal.kind === SyntaxKind.NullKeyword) return { kind: 'other' };
      return { kind: 'primitive', text: literal.getText(sourceFile) };
    }
    case SyntaxKind.TemplateLiteralType:
      return { kind: 'primitive', text: 'string' };
    case SyntaxKind.UnionType:
      return { kind: 'union', of: (node as ts.UnionTypeNode).types.map((t) => shapeOf(t, sourceFile, depth + 1)) };
    case SyntaxKind.TypeReference: {
      const reference = node as ts.TypeReferenceNode;
      const name = reference.typeName;
      if (name.kind === SyntaxKind.Identifier && (name as ts.Identifier).text === 'Promise' && reference.typeArguments?.length === 1) {
        return { kind: 'promise', of: shapeOf(reference.typeArguments[0], sourceFile, depth + 1) };
      }
      return { kind: 'other' };
    }
    case SyntaxKind.TypeLiteral:
      return objectShape(node as ts.TypeLiteralNode, sourceFile, depth);
    default:
      return { kind: 'other' };
  }
}

function objectShape(node: ts.TypeLiteralNode, sourceFile: ts.SourceFile, depth: number): TypeShape {
  if (node.members.length > MAX_MEMBERS) return { kind: 'other' };
  const members: TypeMember[] = [];
  let open = false;
  for (const member of node.members) {
    if (member.kind === SyntaxKind.PropertySignature || member.kind === SyntaxKind.MethodSignature) {
      const signature = member as ts.PropertySignature | ts.MethodSignature;
      const name = propertyNameText(signature.name);
      // A computed name could be any key: the type may then have members syntax does not show.
      if (name === undefined) {
        open = true;
        continue;
      }
      const type = member.kind === SyntaxKind.PropertySignature ? (signature as ts.PropertySignature).type : undefined;
      members.push({ name, optional: signature.questionToken !== undefined, shape: type ? shapeOf(type, sourceFile, depth + 1) : { kind: 'other' } });
    } else {
      // Index, call and construct signatures: the type accepts more than its named members say.
      open = true;
    }
  }
  return { kind: 'object', members, open };
}
