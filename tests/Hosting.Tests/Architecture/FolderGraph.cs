using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Planner.Hosting.Tests.Architecture;

/// <summary>Which folders of an assembly use which others, read from the compiled assembly (not from the source's
/// using lines): every type a type's signatures, base types, interfaces, method bodies and local variables name. A
/// folder is the first namespace segment under the assembly's root namespace (Planner.Scheduling → Scheduling); nested
/// and compiler-generated types (lambdas, iterators, async state machines) count for the type they are declared in.</summary>
public sealed class FolderGraph
{
    private FolderGraph(IReadOnlyDictionary<string, IReadOnlySet<string>> uses) => Uses = uses;

    /// <summary>Each folder and the other folders it uses ("(root)" for types in the root namespace itself).</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Uses { get; }

    public static FolderGraph Of(Assembly assembly, string rootNamespace)
    {
        using var stream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var provider = new TypeCollector();
        foreach (var handle in md.TypeDefinitions)
        {
            if (FolderOf(md, handle, rootNamespace) is not { } folder) continue;
            var used = uses.TryGetValue(folder, out var set) ? set : uses[folder] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var target in Referenced(md, pe, handle, provider))
                if (FolderOf(md, target, rootNamespace) is { } other && other != folder) used.Add(other);
        }
        return new FolderGraph(uses.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal));
    }

    /// <summary>The folders on a cycle, as "A -> B -> A"; empty when the graph has none.</summary>
    public IReadOnlyList<string> Cycles()
    {
        var found = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        var path = new Stack<string>();
        void Visit(string folder)
        {
            state[folder] = 1;
            path.Push(folder);
            foreach (var next in Uses.GetValueOrDefault(folder) ?? new HashSet<string>())
            {
                if (state.GetValueOrDefault(next) == 1)
                    found.Add(string.Join(" -> ", path.Reverse().SkipWhile(f => f != next).Append(next)));
                else if (state.GetValueOrDefault(next) == 0) Visit(next);
            }
            path.Pop();
            state[folder] = 2;
        }
        foreach (var folder in Uses.Keys.Order(StringComparer.Ordinal))
            if (state.GetValueOrDefault(folder) == 0) Visit(folder);
        return found;
    }

    private static string? FolderOf(MetadataReader md, TypeDefinitionHandle handle, string root)
    {
        var type = md.GetTypeDefinition(handle);
        while (type.GetDeclaringType() is { IsNil: false } outer) type = md.GetTypeDefinition(outer);
        var ns = md.GetString(type.Namespace);
        if (ns == root) return "(root)";
        if (!ns.StartsWith(root + ".", StringComparison.Ordinal)) return null; // the compiler's own types
        return ns[(root.Length + 1)..].Split('.')[0];
    }

    private static List<TypeDefinitionHandle> Referenced(MetadataReader md, PEReader pe, TypeDefinitionHandle handle, TypeCollector provider)
    {
        var type = md.GetTypeDefinition(handle);
        var found = new List<TypeDefinitionHandle>();
        void Add(EntityHandle entity) => found.AddRange(Types(md, entity, provider));
        if (!type.BaseType.IsNil) Add(type.BaseType);
        foreach (var i in type.GetInterfaceImplementations()) Add(md.GetInterfaceImplementation(i).Interface);
        foreach (var f in type.GetFields()) found.AddRange(md.GetFieldDefinition(f).DecodeSignature(provider, null));
        foreach (var p in type.GetProperties()) found.AddRange(md.GetPropertyDefinition(p).DecodeSignature(provider, null).ReturnType);
        foreach (var m in type.GetMethods())
        {
            var method = md.GetMethodDefinition(m);
            var signature = method.DecodeSignature(provider, null);
            found.AddRange(signature.ReturnType);
            foreach (var parameter in signature.ParameterTypes) found.AddRange(parameter);
            if (method.RelativeVirtualAddress == 0) continue;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
                foreach (var local in md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null)) found.AddRange(local);
            foreach (var token in Tokens(body.GetILBytes()!)) Add(MetadataTokens.EntityHandle(token));
        }
        return found;
    }

    /// <summary>The types of this assembly a metadata token names: a type, or the type that declares a member.</summary>
    private static IEnumerable<TypeDefinitionHandle> Types(MetadataReader md, EntityHandle entity, TypeCollector provider)
    {
        switch (entity.Kind)
        {
            case HandleKind.TypeDefinition:
                return [(TypeDefinitionHandle)entity];
            case HandleKind.TypeSpecification:
                return md.GetTypeSpecification((TypeSpecificationHandle)entity).DecodeSignature(provider, null);
            case HandleKind.MethodDefinition:
                return [md.GetMethodDefinition((MethodDefinitionHandle)entity).GetDeclaringType()];
            case HandleKind.FieldDefinition:
                return [md.GetFieldDefinition((FieldDefinitionHandle)entity).GetDeclaringType()];
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)entity);
                var declaring = member.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeSpecification or HandleKind.MethodDefinition
                    ? Types(md, member.Parent, provider)
                    : [];
                if (member.GetKind() != MemberReferenceKind.Method) return declaring.Concat(member.DecodeFieldSignature(provider, null));
                var method = member.DecodeMethodSignature(provider, null);
                return declaring.Concat(method.ReturnType).Concat(method.ParameterTypes.SelectMany(p => p));
            case HandleKind.MethodSpecification:
                var spec = md.GetMethodSpecification((MethodSpecificationHandle)entity);
                return Types(md, spec.Method, provider).Concat(spec.DecodeSignature(provider, null).SelectMany(t => t));
            default:
                return [];
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(c => c.Value);

    /// <summary>The metadata tokens in a method body's IL (operands of calls, field accesses, casts, ldtoken, newobj…).</summary>
    private static IEnumerable<int> Tokens(byte[] il)
    {
        for (var at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    yield return BitConverter.ToInt32(il, at);
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + 4 * BitConverter.ToInt32(il, at);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    at += 4;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
            }
        }
    }

    /// <summary>Decodes signatures into the types of this assembly they mention (generic arguments, arrays, pointers too).</summary>
    private sealed class TypeCollector : ISignatureTypeProvider<ImmutableArray<TypeDefinitionHandle>, object?>
    {
        private static readonly ImmutableArray<TypeDefinitionHandle> None = [];

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => None;
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public ImmutableArray<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;
        public ImmutableArray<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => None;
        public ImmutableArray<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => None;
        public ImmutableArray<TypeDefinitionHandle> GetSZArrayType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetArrayType(ImmutableArray<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetByReferenceType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPointerType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPinnedType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetModifiedType(ImmutableArray<TypeDefinitionHandle> modifier, ImmutableArray<TypeDefinitionHandle> unmodifiedType, bool isRequired) => unmodifiedType;
        public ImmutableArray<TypeDefinitionHandle> GetGenericInstantiation(ImmutableArray<TypeDefinitionHandle> genericType, ImmutableArray<ImmutableArray<TypeDefinitionHandle>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(a => a)];
        public ImmutableArray<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
            [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];
    }
}
