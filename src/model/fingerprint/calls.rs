//! The digest of what a value tells a serde serializer: every call its
//! `Serialize` makes, with every argument (names, variant indexes, length
//! hints, numbers, the bytes of strings), written as a tagged byte stream
//! and hashed with SHA-256. Pure; no I/O.
//!
//! The stream is a prefix-free encoding of the calls: each call starts with
//! a tag of its own, a string or name is written with its length, a
//! compound ends with a tag no element starts with. So it can be read back
//! call by call, and two values that make different calls give different
//! streams. Any serializer's output, `ron`'s included, is a function of
//! the calls it receives and of its own settings; so two values with the
//! same digest have the same [`crate::model::to_ron`] text, provided the
//! value makes the same calls to both (both are human-readable, serde's
//! default, for impls that ask) and every time (no `HashMap`
//! in it: what a content hash needs anyway; a template holds only
//! `BTreeMap`s, `Vec`s and plain values). The digest
//! costs one walk of the value and a hash of its text, without `ron`'s
//! escaping of every character: it is what a cache of content hashes is
//! keyed by (`store::template_hashes`).
//!
//! Written here, not taken from a crate: compact formats such as postcard
//! or bincode leave out what serde skips and the struct, field and variant
//! names `ron` writes, so two templates could share their bytes and still
//! serialise differently; no crate we found digests the calls themselves.

use serde::Serialize;
use serde::ser::{self, Serializer};
use sha2::{Digest, Sha256};

/// Returns the SHA-256 of the calls `value` makes (see the module header),
/// or `None` when its `Serialize` fails.
pub fn digest<T: Serialize + ?Sized>(value: &T) -> Option<[u8; 32]> {
    let mut calls = Calls { out: Vec::new() };
    value.serialize(&mut calls).ok()?;
    Some(Sha256::digest(&calls.out).into())
}

/// The tags that start each call; `END` closes a compound.
mod tag {
    pub const BOOL: u8 = 1;
    pub const I8: u8 = 2;
    pub const I16: u8 = 3;
    pub const I32: u8 = 4;
    pub const I64: u8 = 5;
    pub const I128: u8 = 6;
    pub const U8: u8 = 7;
    pub const U16: u8 = 8;
    pub const U32: u8 = 9;
    pub const U64: u8 = 10;
    pub const U128: u8 = 11;
    pub const F32: u8 = 12;
    pub const F64: u8 = 13;
    pub const CHAR: u8 = 14;
    pub const STR: u8 = 15;
    pub const BYTES: u8 = 16;
    pub const NONE: u8 = 17;
    pub const SOME: u8 = 18;
    pub const UNIT: u8 = 19;
    pub const UNIT_STRUCT: u8 = 20;
    pub const UNIT_VARIANT: u8 = 21;
    pub const NEWTYPE_STRUCT: u8 = 22;
    pub const NEWTYPE_VARIANT: u8 = 23;
    pub const SEQ: u8 = 24;
    pub const TUPLE: u8 = 25;
    pub const TUPLE_STRUCT: u8 = 26;
    pub const TUPLE_VARIANT: u8 = 27;
    pub const MAP: u8 = 28;
    pub const STRUCT: u8 = 29;
    pub const STRUCT_VARIANT: u8 = 30;
    pub const ELEMENT: u8 = 31;
    pub const KEY: u8 = 32;
    pub const VALUE: u8 = 33;
    pub const FIELD: u8 = 34;
    pub const SKIPPED: u8 = 35;
    pub const END: u8 = 36;
}

/// The stream being written.
struct Calls {
    out: Vec<u8>,
}

/// A `Serialize` impl's own error (`S::Error::custom`).
#[derive(Debug)]
struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value cannot be serialised")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Self
    }
}

impl Calls {
    fn tag(&mut self, tag: u8) {
        self.out.push(tag);
    }

    /// A string or name: its length, then its bytes.
    fn text(&mut self, s: &[u8]) {
        self.len(s.len());
        self.out.extend_from_slice(s);
    }

    fn len(&mut self, n: usize) {
        self.out.extend_from_slice(&(n as u64).to_le_bytes());
    }

    /// A length hint: absent or present, then the length.
    fn hint(&mut self, n: Option<usize>) {
        match n {
            None => self.out.push(0),
            Some(n) => {
                self.out.push(1);
                self.len(n);
            }
        }
    }

    fn variant(&mut self, name: &str, index: u32, variant: &str) {
        self.text(name.as_bytes());
        self.out.extend_from_slice(&index.to_le_bytes());
        self.text(variant.as_bytes());
    }
}

impl Serializer for &mut Calls {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Failed> {
        self.tag(tag::BOOL);
        self.out.push(u8::from(v));
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Failed> {
        self.tag(tag::I8);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Failed> {
        self.tag(tag::I16);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Failed> {
        self.tag(tag::I32);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Failed> {
        self.tag(tag::I64);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Failed> {
        self.tag(tag::I128);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Failed> {
        self.tag(tag::U8);
        self.out.push(v);
        Ok(())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Failed> {
        self.tag(tag::U16);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Failed> {
        self.tag(tag::U32);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Failed> {
        self.tag(tag::U64);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Failed> {
        self.tag(tag::U128);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Failed> {
        self.tag(tag::F32);
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Failed> {
        self.tag(tag::F64);
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Failed> {
        self.tag(tag::CHAR);
        self.out.extend_from_slice(&u32::from(v).to_le_bytes());
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Failed> {
        self.tag(tag::STR);
        self.text(v.as_bytes());
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Failed> {
        self.tag(tag::BYTES);
        self.text(v);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Failed> {
        self.tag(tag::NONE);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Failed> {
        self.tag(tag::SOME);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Failed> {
        self.tag(tag::UNIT);
        Ok(())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Failed> {
        self.tag(tag::UNIT_STRUCT);
        self.text(name.as_bytes());
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<(), Failed> {
        self.tag(tag::UNIT_VARIANT);
        self.variant(name, index, variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.tag(tag::NEWTYPE_STRUCT);
        self.text(name.as_bytes());
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.tag(tag::NEWTYPE_VARIANT);
        self.variant(name, index, variant);
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Failed> {
        self.tag(tag::SEQ);
        self.hint(len);
        Ok(self)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Failed> {
        self.tag(tag::TUPLE);
        self.len(len);
        Ok(self)
    }

    fn serialize_tuple_struct(self, name: &'static str, len: usize) -> Result<Self, Failed> {
        self.tag(tag::TUPLE_STRUCT);
        self.text(name.as_bytes());
        self.len(len);
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Failed> {
        self.tag(tag::TUPLE_VARIANT);
        self.variant(name, index, variant);
        self.len(len);
        Ok(self)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self, Failed> {
        self.tag(tag::MAP);
        self.hint(len);
        Ok(self)
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self, Failed> {
        self.tag(tag::STRUCT);
        self.text(name.as_bytes());
        self.len(len);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Failed> {
        self.tag(tag::STRUCT_VARIANT);
        self.variant(name, index, variant);
        self.len(len);
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Calls {
    type Ok = ();
    type Error = Failed;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.tag(tag::ELEMENT);
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Failed> {
        self.tag(tag::END);
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Calls {
    type Ok = ();
    type Error = Failed;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.tag(tag::ELEMENT);
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Failed> {
        self.tag(tag::END);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Calls {
    type Ok = ();
    type Error = Failed;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.tag(tag::ELEMENT);
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Failed> {
        self.tag(tag::END);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Calls {
    type Ok = ();
    type Error = Failed;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.tag(tag::ELEMENT);
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Failed> {
        self.tag(tag::END);
        Ok(())
    }
}

impl ser::SerializeMap for &mut Calls {
    type Ok = ();
    type Error = Failed;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failed> {
        self.tag(tag::KEY);
        key.serialize(&mut **self)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.tag(tag::VALUE);
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Failed> {
        self.tag(tag::END);
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Calls {
    type Ok = ();
    type Error = Failed;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.tag(tag::FIELD);
        self.text(key.as_bytes());
        value.serialize(&mut **self)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), Failed> {
        self.tag(tag::SKIPPED);
        self.text(key.as_bytes());
        Ok(())
    }

    fn end(self) -> Result<(), Failed> {
        self.tag(tag::END);
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Calls {
    type Ok = ();
    type Error = Failed;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.tag(tag::FIELD);
        self.text(key.as_bytes());
        value.serialize(&mut **self)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), Failed> {
        self.tag(tag::SKIPPED);
        self.text(key.as_bytes());
        Ok(())
    }

    fn end(self) -> Result<(), Failed> {
        self.tag(tag::END);
        Ok(())
    }
}
