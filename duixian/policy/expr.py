"""Rule expressions: parsed and type-checked by rule-engine, then compiled once into closures.

rule-engine gives a safe grammar, a parser and symbol checking (an unknown fact is an error at
load, with a suggestion). Walking its AST per application is slow (~250 µs a rule), so at pack
load each AST is translated, node by node, into nested Python closures over a flat facts dict.
No text is ever handed to Python's `eval`/`exec`: only node types listed here are accepted, and
each becomes a fixed, hand-written closure. Types are checked again here, more strictly than
rule-engine does (`true == 3` is refused; a date is not a datetime).
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

import rule_engine
from rule_engine import ast as A
from rule_engine import errors as RE
from rule_engine.types import DataType

__all__ = ["ExprError", "Compiled", "Compiler"]


class ExprError(ValueError):
    """An expression that does not parse, names an unknown symbol or mixes types."""


@dataclass(frozen=True)
class Compiled:
    """A compiled expression: `fn(facts) -> value`, its type and the facts it reads."""

    fn: Callable[[Mapping[str, Any]], Any]
    type: str
    inputs: frozenset[str]
    params: frozenset[str]
    text: str
    # (fact, op, constant, fact_first) when the whole expression is one comparison of a fact
    # with a constant: the engine then skips a closure call.
    simple: tuple | None = None


_RE_TYPES = {
    "bool": DataType.BOOLEAN,
    "str": DataType.STRING,
    "num": DataType.FLOAT,
    "date": DataType.DATETIME,
    "datetime": DataType.DATETIME,
    "list": DataType.ARRAY(DataType.STRING),
}

# Operand forms: ("const", value) | ("fact", key) | ("fn", callable). Keeping constants and plain
# fact reads apart lets the common shapes (`fact == const`) compile to one closure.
_CONST, _FACT, _FN = "const", "fact", "fn"


def _as_fn(op):
    kind, v = op
    if kind == _FN:
        return v
    if kind == _FACT:
        return lambda f, k=v: f[k]
    return lambda f, c=v: c


_CMP = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
_ARITH = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "tdiv": operator.truediv,
    "fdiv": operator.floordiv,
    "mod": operator.mod,
}


def _binary(op, a, b):
    """Combine two operands with a C-level operator, specialised by operand form."""
    ka, va = a
    kb, vb = b
    if ka == _CONST and kb == _CONST:
        try:
            return (_CONST, op(va, vb))
        except (TypeError, ArithmeticError):  # e.g. an unconfirmed (null) parameter
            return (_FN, lambda f: op(va, vb))
    if ka == _FACT and kb == _CONST:
        return (_FN, lambda f: op(f[va], vb))
    if ka == _CONST and kb == _FACT:
        return (_FN, lambda f: op(va, f[vb]))
    if ka == _FACT and kb == _FACT:
        return (_FN, lambda f: op(f[va], f[vb]))
    fa, fb = _as_fn(a), _as_fn(b)
    return (_FN, lambda f: op(fa(f), fb(f)))


class Compiler:
    """Compiles expressions for one pack: its fact types, its constants (`window.*`) and
    parameters (`param.*`)."""

    def __init__(
        self,
        fact_types: Mapping[str, str],
        constants: Mapping[str, tuple[str, Any]],
        params: Mapping[str, Any],
        tz: ZoneInfo,
    ):
        self.fact_types = dict(fact_types)
        self.constants = dict(constants)  # "window.x" -> (type, value)
        self.params = dict(params)  # "param.x" -> Decimal | None
        self.tz = tz
        namespaces: dict[str, dict[str, Any]] = {}
        top: dict[str, Any] = {}
        everything = {**{k: t for k, t in self.fact_types.items()}, **{k: t for k, (t, _) in self.constants.items()}}
        everything.update({k: "num" for k in self.params})
        for name, t in everything.items():
            if "." in name:
                ns, attr = name.split(".", 1)
                namespaces.setdefault(ns, {})[attr] = _RE_TYPES[t]
            else:
                top[name] = _RE_TYPES[t]
        for ns, attrs in namespaces.items():
            top[ns] = DataType.OBJECT(ns, attributes=attrs, accessor=lambda v, k: v[k])
        self._namespaces = set(namespaces)
        self._context_types = top

    def _context(self) -> rule_engine.Context:
        return rule_engine.Context(
            type_resolver=self._context_types,
            default_timezone=self.tz,
            mapping_attribute_lookup=False,
        )

    def compile(self, text: str, want: str | None = "bool") -> Compiled:
        """Parse with rule-engine, check types, and build the closure."""
        if not isinstance(text, str) or not text.strip():
            raise ExprError("表达式为空")
        try:
            rule = rule_engine.Rule(text, context=self._context())
        except RE.SymbolResolutionError as e:
            hint = f"（是否为 {e.suggestion}？）" if getattr(e, "suggestion", None) else ""
            raise ExprError(f"未知的名称：{e.symbol_name}{hint}") from None
        except RE.AttributeResolutionError as e:
            hint = f"（是否为 {e.suggestion}？）" if getattr(e, "suggestion", None) else ""
            raise ExprError(f"未知的字段：{e.attribute_name}{hint}") from None
        except RE.EngineError as e:
            raise ExprError(f"表达式无法解析：{getattr(e, 'message', e)}") from None
        except Exception as e:  # rule-engine raises a few plain errors (e.g. ObjectAttributeError)
            raise ExprError(f"表达式无法解析：{e}") from None
        self._inputs: set[str] = set()
        self._used_params: set[str] = set()
        self._simple: dict[int, tuple] = {}
        op, t = self._node(rule.statement.expression)
        if want is not None and t != want and not (t == "null" and want != "bool"):
            raise ExprError(f"表达式应得出{_WORD.get(want, want)}，实际为{_WORD.get(t, t)}")
        simple = self._simple.get(id(op[1])) if op[0] == _FN else None
        return Compiled(_as_fn(op), t, frozenset(self._inputs), frozenset(self._used_params), text, simple)

    def _binary(self, op, a, b):
        out = _binary(op, a, b)
        if out[0] == _FN:
            if a[0] == _FACT and b[0] == _CONST:
                self._simple[id(out[1])] = (a[1], op, b[1], True)
            elif a[0] == _CONST and b[0] == _FACT:
                self._simple[id(out[1])] = (b[1], op, a[1], False)
        return out

    # -- nodes -----------------------------------------------------------------------------
    def _node(self, n):
        method = getattr(self, "_n_" + type(n).__name__, None)
        if method is None:
            raise ExprError(f"不支持的表达式：{type(n).__name__}")
        return method(n)

    def _n_BooleanExpression(self, n):
        return (_CONST, bool(n.value)), "bool"

    def _n_FloatExpression(self, n):
        return (_CONST, Decimal(n.value)), "num"

    def _n_StringExpression(self, n):
        return (_CONST, n.value), "str"

    def _n_NullExpression(self, n):
        return (_CONST, None), "null"

    def _n_DatetimeExpression(self, n):
        v = n.value
        if v.tzinfo is None:
            v = v.replace(tzinfo=self.tz)
        return (_CONST, v), "dtliteral"

    def _n_ArrayExpression(self, n):
        items = [self._node(x) for x in n.value]
        types = {t for _, t in items}
        if len(types) > 1:
            raise ExprError("列表中的元素类型不一致")
        t = types.pop() if types else "str"
        if all(op[0] == _CONST for op, _ in items):
            return (_CONST, tuple(op[1] for op, _ in items)), "list:" + t
        fns = [_as_fn(op) for op, _ in items]
        if len(fns) == 2:
            f0, f1 = fns
            return (_FN, lambda f: (f0(f), f1(f))), "list:" + t
        return (_FN, lambda f: tuple([fn(f) for fn in fns])), "list:" + t

    def _n_SymbolExpression(self, n):
        name = n.name
        if getattr(n, "scope", None):
            raise ExprError(f"内置名称 ${name} 只能作为函数调用")
        if name in self._namespaces:
            raise ExprError(f"{name} 须写出字段，如 {name}.xxx")
        return self._symbol(name)

    def _n_GetAttributeExpression(self, n):
        obj = n.object
        if type(obj).__name__ != "SymbolExpression" or getattr(obj, "scope", None):
            raise ExprError("只支持“命名空间.字段”形式的取值")
        return self._symbol(f"{obj.name}.{n.name}")

    def _symbol(self, name):
        if name in self.fact_types:
            self._inputs.add(name)
            return (_FACT, name), self.fact_types[name]
        if name in self.constants:
            t, v = self.constants[name]
            return (_CONST, v), t
        if name in self.params:
            self._used_params.add(name)
            value = self.params[name]
            if value is None:  # unconfirmed: never folded, the engine gives a null amount
                return (_FN, lambda f: None), "num"
            return (_CONST, value), "num"
        raise ExprError(f"未知的名称：{name}")

    def _n_LogicExpression(self, n):
        (a, ta), (b, tb) = self._node(n.left), self._node(n.right)
        if ta != "bool" or tb != "bool":
            raise ExprError(f"{n.type} 两边须为布尔值")
        fa, fb = _as_fn(a), _as_fn(b)
        if n.type == "and":
            return (_FN, lambda f: fa(f) and fb(f)), "bool"
        if n.type == "or":
            return (_FN, lambda f: fa(f) or fb(f)), "bool"
        raise ExprError(f"不支持的逻辑运算：{n.type}")

    def _unify(self, a, ta, b, tb, ordered):
        """Make two operands comparable; a date literal adapts to a date fact."""
        if ta == "dtliteral" and tb in ("date", "datetime", "dtliteral"):
            a, ta = self._adapt_literal(a, tb), (tb if tb != "dtliteral" else "datetime")
        if tb == "dtliteral" and ta in ("date", "datetime"):
            b, tb = self._adapt_literal(b, ta), ta
        if ordered:
            if ta != tb or ta not in ("num", "str", "date", "datetime"):
                raise ExprError(f"无法比较{_WORD.get(ta, ta)}与{_WORD.get(tb, tb)}的大小")
        elif ta != tb and "null" not in (ta, tb):
            raise ExprError(f"无法比较{_WORD.get(ta, ta)}与{_WORD.get(tb, tb)}")
        return a, b

    def _adapt_literal(self, op, target):
        kind, v = op
        if target == "date":
            if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0):
                raise ExprError("与日期比较的字面量不能带时刻")
            return (kind, v.date())
        return op

    def _n_ComparisonExpression(self, n):
        (a, ta), (b, tb) = self._node(n.left), self._node(n.right)
        a, b = self._unify(a, ta, b, tb, ordered=False)
        return self._binary(_CMP[n.type], a, b), "bool"

    def _n_ArithmeticComparisonExpression(self, n):
        (a, ta), (b, tb) = self._node(n.left), self._node(n.right)
        a, b = self._unify(a, ta, b, tb, ordered=True)
        return self._binary(_CMP[n.type], a, b), "bool"

    def _n_FuzzyComparisonExpression(self, n):
        (a, ta), (b, tb) = self._node(n.left), self._node(n.right)
        if ta != "str" or b[0] != _CONST or tb != "str":
            raise ExprError("正则匹配须为“字符串 =~ '正则'”")
        try:
            rx = re.compile(b[1])
        except re.error as e:
            raise ExprError(f"正则表达式错误：{e}") from None
        fa = _as_fn(a)
        m = rx.match if n.type in ("eq_fzm", "ne_fzm") else rx.search
        if n.type.startswith("eq"):
            return (_FN, lambda f: m(fa(f)) is not None), "bool"
        return (_FN, lambda f: m(fa(f)) is None), "bool"

    def _n_ContainsExpression(self, n):
        (m, tm), (c, tc) = self._node(n.member), self._node(n.container)
        if tc == "list":
            tc = "list:str"
        if tc.startswith("list:"):
            if tc[5:] != tm and not (tc[5:] == "dtliteral" and tm in ("date", "datetime")):
                raise ExprError(f"{_WORD.get(tm, tm)}不能在{_WORD.get(tc[5:], tc[5:])}列表中查找")
        elif tc == "str":
            if tm != "str":
                raise ExprError("只能在字符串中查找字符串")
        else:
            raise ExprError("in 的右边须为列表或字符串")
        if c[0] == _CONST and isinstance(c[1], tuple) and len(c[1]) > 3:
            try:
                c = (_CONST, frozenset(c[1]))
            except TypeError:
                pass
        return self._binary(operator.contains, c, m), "bool"

    def _n_UnaryExpression(self, n):
        a, t = self._node(n.right)
        if n.type == "not":
            if t != "bool":
                raise ExprError("not 须作用于布尔值")
            if a[0] == _CONST:
                return (_CONST, not a[1]), "bool"
            fa = _as_fn(a)
            return (_FN, lambda f: not fa(f)), "bool"
        if n.type == "uminus":
            if t != "num":
                raise ExprError("负号须作用于数值")
            if a[0] == _CONST:
                return (_CONST, -a[1]), "num"
            fa = _as_fn(a)
            return (_FN, lambda f: -fa(f)), "num"
        raise ExprError(f"不支持的运算：{n.type}")

    def _arith(self, n):
        (a, ta), (b, tb) = self._node(n.left), self._node(n.right)
        op = _ARITH.get(n.type)
        if op is None:
            raise ExprError(f"不支持的运算：{n.type}")
        if n.type == "add" and ta == tb == "str":
            return _binary(op, a, b), "str"
        if ta != "num" or tb != "num":
            raise ExprError("算术运算两边须为数值")
        return _binary(op, a, b), "num"

    _n_AddExpression = _arith
    _n_SubtractExpression = _arith
    _n_ArithmeticExpression = _arith

    def _n_TernaryExpression(self, n):
        (c, tc), (a, ta), (b, tb) = self._node(n.condition), self._node(n.case_true), self._node(n.case_false)
        if tc != "bool":
            raise ExprError("条件表达式的条件须为布尔值")
        if ta != tb:
            raise ExprError("条件表达式两个分支的类型须一致")
        fc, fa, fb = _as_fn(c), _as_fn(a), _as_fn(b)
        return (_FN, lambda f: fa(f) if fc(f) else fb(f)), ta

    def _n_FunctionCallExpression(self, n):
        fn = n.function
        name = getattr(fn, "name", None)
        if type(fn).__name__ != "SymbolExpression" or getattr(fn, "scope", None) != "built-in" or name not in _FUNCS:
            raise ExprError(f"不支持的函数；可用：{'、'.join('$' + k for k in _FUNCS)}")
        if len(n.arguments) != 1:
            raise ExprError(f"${name} 只接受一个列表参数，如 ${name}([a, b])")
        arg, t = self._node(n.arguments[0])
        if t != "list:num":
            raise ExprError(f"${name} 的参数须为数值列表")
        impl = _FUNCS[name]
        if arg[0] == _CONST:
            return (_CONST, impl(arg[1])), "num"
        fa = _as_fn(arg)
        return (_FN, lambda f: impl(fa(f))), "num"


def _dmin(values):
    return min(values)


def _dmax(values):
    return max(values)


def _dsum(values):
    return sum(values, Decimal(0))


_FUNCS = {"min": _dmin, "max": _dmax, "sum": _dsum}

_WORD = {
    "bool": "布尔值",
    "str": "字符串",
    "num": "数值",
    "date": "日期",
    "datetime": "时间",
    "dtliteral": "时间字面量",
    "null": "null",
    "list": "列表",
}
